package dev.moat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.moat.MoatException;
import dev.moat.config.AnsibleConfig;
import dev.moat.config.ConfigKey;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventorySources;
import picocli.CommandLine.Option;

/**
 * {@code -i}, as ansible-playbook takes it: repeatable, each a YAML or INI file, a directory, an
 * executable script or a host list ({@code -i h1,h2,}); without {@code -i}, the
 * {@code inventory} of ansible.cfg (or {@code ANSIBLE_INVENTORY}), else {@code /etc/ansible/hosts}
 * when it exists, else a usage error.
 */
final class InventoryOption {
    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Inventory: a YAML or INI file, a directory, an executable script, or 'h1,h2,'; repeatable"
                    + " (default: inventory in ansible.cfg).")
    List<String> sources = new ArrayList<>();

    /** The sources to read and where they were given. */
    record Choice(List<String> sources, String from) {}

    Choice choose(AnsibleConfig cfg) {
        if (!sources.isEmpty()) return new Choice(sources, "-i");
        if (cfg.inventoryConfigured()) return new Choice(cfg.inventory(), cfg.setting(ConfigKey.DEFAULT_HOST_LIST).place());
        if (Files.exists(Path.of("/etc/ansible/hosts"))) return new Choice(List.of("/etc/ansible/hosts"), "Ansible's default inventory");
        throw MoatException.usage("no inventory: pass -i INVENTORY, or set 'inventory' under [defaults] in ansible.cfg"
                + cfg.file().map(f -> " (" + f + " sets none)").orElse(" (no ansible.cfg was found)"));
    }

    Inventory load(AnsibleConfig cfg) {
        Choice c = choose(cfg);
        return InventorySources.load(c.sources(), Cfg.env.get().cwd(), c.from());
    }

    /** Where relative lookups in inventory variables resolve: the first source's directory (a host list: the working directory). */
    Path baseDir(AnsibleConfig cfg) {
        Path cwd = Cfg.env.get().cwd();
        String first = choose(cfg).sources().get(0);
        if (first.contains(",") && !Files.exists(cwd.resolve(first))) return cwd;
        Path p = cwd.resolve(first).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? p : p.getParent();
    }
}
