package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Compares moat's inventory with the real Ansible installed on this machine (Debian's ansible
 * package): the fixture has nested groups (3 levels), group_vars (file, extension-less file,
 * directory with nested directory and JSON), host_vars (file and directory), ranges (padded,
 * stepped, alphabetic, IPv4), a host in several groups, host:port, a top-level group besides all,
 * ansible_group_priority, siblings at one depth, anchors and merge keys, YAML 1.1 scalars.
 * Skipped when ansible-inventory is not installed.
 */
class InventoryAnsibleComparisonTest {
    private static final Path COMPARE = Path.of("src/test/resources/inventory/compare/hosts.yml");
    /** Groups defined in two places, a top-level group that is also a child, empty groups, floats. */
    private static final Path EDGE = Path.of("src/test/resources/inventory/edge/hosts.yml");

    @TempDir
    static Path home;

    @ParameterizedTest
    @ValueSource(strings = {"compare", "edge"})
    void listIsAnsibles(String fixture) throws Exception {
        Path f = fixture(fixture);
        String ansible = ansibleInventory(f, "--list");
        ObjectMapper json = new ObjectMapper();
        Inventory moat = InventoryLoader.load(f);
        assertEquals(json.readTree(ansible), json.readTree(InventoryReport.list(moat)));
        assertEquals(json.readTree(ansible), InventoryReport.listTree(moat));
        assertEquals(ansible, InventoryReport.list(moat), "byte for byte");
    }

    @ParameterizedTest
    @ValueSource(strings = {"compare", "edge"})
    void graphIsAnsibles(String fixture) throws Exception {
        Path f = fixture(fixture);
        Inventory moat = InventoryLoader.load(f);
        String ansible = ansibleInventory(f, "--graph", "--vars");
        assertEquals(ansible, InventoryReport.graph(moat, "all", true));
        // Without --vars Ansible prints the same tree minus the {name = value} lines.
        String plain = ansible.lines().filter(l -> !l.matches("^[ |]*--\\{.* = .*\\}$")).collect(Collectors.joining("\n"));
        assertEquals(plain, InventoryReport.graph(moat));
    }

    @Test
    void graphOfOneGroupIsAnsibles() throws Exception {
        assertEquals(ansibleInventory(COMPARE, "--graph", "gpu"), InventoryReport.graph(InventoryLoader.load(COMPARE), "gpu", false));
    }

    private static Path fixture(String name) {
        return name.equals("edge") ? EDGE : COMPARE;
    }

    private static String ansibleInventory(Path fixture, String... args) throws IOException, InterruptedException {
        Path exe = onPath("ansible-inventory");
        Assumptions.assumeTrue(exe != null, "ansible-inventory is not installed");
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-i", fixture.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path cfg = home.resolve("ansible.cfg");
        if (!Files.exists(cfg)) Files.writeString(cfg, "");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("ANSIBLE_CONFIG", cfg.toString());
        env.put("ANSIBLE_HOME", home.resolve("ansible").toString());
        env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        env.put("ANSIBLE_LOCALHOST_WARNING", "False");
        env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("LC_ALL", "C.UTF-8");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ansible-inventory timed out");
        }
        assertEquals(0, p.exitValue(), "ansible-inventory " + String.join(" ", args) + " failed");
        String s = new String(out, StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
