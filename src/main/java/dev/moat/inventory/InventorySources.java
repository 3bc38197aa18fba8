package dev.moat.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.moat.MoatException;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * Inventory sources as Ansible's InventoryManager takes them ({@code -i} given several times,
 * or {@code [defaults] inventory}), merged into one {@link Inventory}:
 * <ul>
 *   <li>a text with a comma that is not an existing path is a host list: {@code -i h1,h2:2222,};</li>
 *   <li>a directory is every entry in it, sorted by name, recursively, except hidden names,
 *       {@code group_vars}, {@code host_vars}, {@code vars_plugins} and Ansible's ignored
 *       extensions ({@code .ini .cfg .retry .orig .md .txt .rst .bak .swp ~ ...} — so an
 *       {@code hosts.ini} inside a directory is skipped, exactly as Ansible skips it);</li>
 *   <li>an executable file is an inventory script ({@link InventoryScript});</li>
 *   <li>a {@code .yml}, {@code .yaml} or {@code .json} file is a YAML inventory
 *       ({@link InventoryLoader}); a file without extension is YAML when it reads as a mapping and
 *       INI otherwise; any other file is INI ({@link IniInventory}).</li>
 * </ul>
 * The {@code group_vars/} and {@code host_vars/} of each source (the directory itself, or the
 * file's directory) apply, a later source winning. Where Ansible warns "Unable to parse ... as an
 * inventory source" and goes on with fewer hosts, moat stops: a source that does not exist is a
 * usage error (exit 64), one that cannot be read as an inventory is exit 65 with file:line.
 */
public final class InventorySources {
    private static final Pattern IGNORED = Pattern.compile("^\\.|^host_vars$|^group_vars$|^vars_plugins$|"
            + "(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");

    private InventorySources() {}

    /**
     * Loads {@code sources}, relative paths taken from {@code cwd}; {@code from} says where they
     * were given ("-i", or the ansible.cfg line) for the message when one does not exist.
     */
    public static Inventory load(List<String> sources, Path cwd, String from) {
        if (sources.isEmpty()) throw MoatException.usage("no inventory given: pass -i INVENTORY or set inventory in ansible.cfg");
        InventoryGraph graph = new InventoryGraph();
        List<VarsFiles> vars = new ArrayList<>();
        Path primary = null;
        for (String source : sources) {
            if (source.isEmpty()) continue;
            Path p = path(source, cwd);
            if (source.contains(",") && !Files.exists(p)) {
                hostList(graph, source);
                if (primary == null) primary = Path.of(source);
                continue;
            }
            if (!Files.exists(p)) {
                throw MoatException.usage("inventory source not found: " + source + (source.equals(p.toString()) ? "" : " (" + p + ")")
                        + " (given by " + from + ")");
            }
            if (primary == null) primary = p;
            parseSource(graph, p);
            vars.add(new VarsFiles(Files.isDirectory(p) ? p : p.getParent()));
        }
        if (primary == null) throw MoatException.usage("no inventory given: every source given by " + from + " is empty");
        graph.reconcile();
        return graph.build(primary, vars);
    }

    /** One source named on the command line: what {@code -i X} means. */
    public static Inventory load(Path source) {
        return load(List.of(source.toString()), Path.of("").toAbsolutePath(), "-i");
    }

    private static Path path(String source, Path cwd) {
        String s = source;
        if (s.equals("~") || s.startsWith("~/")) s = System.getProperty("user.home") + s.substring(1);
        return cwd.resolve(s).toAbsolutePath().normalize();
    }

    /** Ansible's host_list plugin: {@code h1,h2:2222,} puts each host in ungrouped, with its port. */
    private static void hostList(InventoryGraph graph, String list) {
        graph.currentSource(list);
        Mark at = new Mark(Path.of(list), 0, 0);
        for (String h : list.split(",")) {
            h = h.strip();
            if (h.isEmpty()) continue;
            Address.HostPort hp = Address.parse(h);
            String name = hp == null ? h : hp.host();
            graph.addHost(graph.group("ungrouped", Mark.NONE), graph.host(name, hp == null ? null : hp.port(), at));
        }
    }

    private static void parseSource(InventoryGraph graph, Path p) {
        if (Files.isDirectory(p)) {
            List<Path> entries;
            try (Stream<Path> s = Files.list(p)) {
                entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            } catch (IOException e) {
                throw MoatException.invalid(p + ": cannot list the inventory directory: " + e.getMessage());
            }
            for (Path e : entries) {
                if (!IGNORED.matcher(e.getFileName().toString()).find()) parseSource(graph, e);
            }
            return;
        }
        graph.currentSource(p.toString());
        if (Files.isExecutable(p) && Files.isRegularFile(p)) {
            InventoryScript.parse(graph, p);
            return;
        }
        String text = read(p);
        if (text.startsWith("#!")) {
            throw MoatException.invalid(p + ":1: this looks like an inventory script (it starts with #!) but is not executable;"
                    + " make it executable (chmod +x) to run it, or remove the #! line");
        }
        String name = p.getFileName().toString();
        String ext = name.lastIndexOf('.') > 0 ? name.substring(name.lastIndexOf('.')) : "";
        if (ext.equals(".yml") || ext.equals(".yaml") || ext.equals(".json")) {
            InventoryLoader.addYaml(graph, YamlLoader.parse(text, p), p);
        } else if (ext.isEmpty() && yamlMapping(text, p) != null) {
            InventoryLoader.addYaml(graph, yamlMapping(text, p), p);
        } else {
            IniInventory.parse(graph, text, p);
        }
    }

    /** The document when {@code text} reads as a YAML mapping, else null (then it is INI). */
    private static Node yamlMapping(String text, Path p) {
        try {
            Node n = YamlLoader.parse(text, p);
            return n instanceof MapNode ? n : null;
        } catch (YamlException e) {
            return null;
        }
    }

    private static String read(Path p) {
        return YamlLoader.read(p);
    }
}
