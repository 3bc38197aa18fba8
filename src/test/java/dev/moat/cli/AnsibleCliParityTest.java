package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.config.AnsibleConfig;
import dev.moat.config.ConfigEnv;
import dev.moat.transport.Endpoint;
import picocli.CommandLine;

/**
 * The commands with ansible.cfg, in-process: {@code moat config} against {@code ansible-config
 * dump --only-changed}, {@code -i} taken from ansible.cfg, {@code --list-hosts} and the
 * unmatched-pattern warning against {@code ansible-playbook} (recorded under
 * {@code src/test/resources/cli/listhosts/}), and what {@code -u}, {@code -b} and
 * {@code --become-user} give a host's connection.
 */
class AnsibleCliParityTest {
    private static final Path RES = Path.of("src/test/resources").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    @AfterEach
    void restore() {
        Cfg.env = ConfigEnv::system;
    }

    private Run moat(Path cwd, Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        Cfg.env = () -> new ConfigEnv(e, cwd, tmp.resolve("home"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void configPrintsWhatAnsibleConfigDumpPrints() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("site"));
        Files.copy(RES.resolve("config/full/ansible.cfg"), dir.resolve("ansible.cfg"));
        Run r = moat(dir, Map.of(), "config");
        assertEquals(0, r.code(), r.err());
        List<String> moatNames = List.of("COLLECTIONS_PATHS", "CONFIG_FILE", "DEFAULT_BECOME", "DEFAULT_BECOME_METHOD", "DEFAULT_BECOME_USER",
                "DEFAULT_FORKS", "DEFAULT_HOST_LIST", "DEFAULT_PRIVATE_KEY_FILE", "DEFAULT_REMOTE_USER", "DEFAULT_ROLES_PATH",
                "DEFAULT_TIMEOUT", "DEFAULT_VAULT_PASSWORD_FILE", "HOST_KEY_CHECKING");
        String expected = Files.readAllLines(RES.resolve("config/full/expected.txt")).stream()
                .filter(l -> moatNames.contains(l.substring(0, l.indexOf('('))))
                .map(l -> l.replace("@DIR@", dir.toString()).replace("@HOME@", tmp.resolve("home").toString()) + "\n")
                .reduce("", String::concat);
        assertEquals(expected, r.out().replace("\r", ""));
        Run all = moat(dir, Map.of(), "config", "--all");
        assertTrue(all.out().contains("DEFAULT_FORKS(" + dir.resolve("ansible.cfg") + ") = 20"), all.out());
        assertTrue(moat(tmp, Map.of(), "config", "--all").out().contains("DEFAULT_BECOME_USER(default) = root"));
    }

    @Test
    void inventoryComesFromAnsibleCfgWhenNoDashI() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\ninventory = " + RES.resolve("inventory/sources/ini/hosts") + "\n");
        Run r = moat(dir, Map.of(), "inventory", "--list");
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(RES.resolve("inventory/sources/ini.json").toFile()), json.readTree(r.out()));
    }

    @Test
    void rolesComeFromAnsibleCfgRolesPath() throws Exception {
        Path roles = Files.createDirectories(tmp.resolve("elsewhere/roles/greet/tasks"));
        Files.writeString(roles.resolve("main.yml"), "- debug: {msg: hi}\n");
        Path dir = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(dir.resolve("hosts.ini"), "h1 ansible_host=127.0.0.1\n");
        Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  roles: [greet]\n");
        Run without = moat(dir, Map.of("ANSIBLE_ROLES_PATH", tmp.resolve("none").toString()), "apply", dir.resolve("site.yml").toString(), "-i", dir.resolve("hosts.ini").toString(), "--syntax-check");
        assertEquals(65, without.code(), without.err());
        assertTrue(without.err().contains("greet"), without.err());
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\nroles_path = ../elsewhere/roles\n");
        Run with = moat(dir, Map.of(), "apply", dir.resolve("site.yml").toString(), "-i", dir.resolve("hosts.ini").toString(), "--syntax-check");
        assertEquals(0, with.code(), with.err());
        assertTrue(with.out().startsWith("syntax ok"), with.out());
    }

    @Test
    void severalDashIAreMerged() throws Exception {
        Path src = RES.resolve("inventory/sources");
        Run r = moat(src, Map.of(), "inventory", "-i", "ini/hosts", "-i", "dir", "-i", "h9,web1", "--list");
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(src.resolve("multi.json").toFile()), json.readTree(r.out()));
    }

    @Test
    void noInventoryAnywhereIsAUsageError() {
        Run r = moat(tmp, Map.of(), "inventory", "--list");
        assertEquals(64, r.code());
        assertTrue(r.err().contains("no inventory: pass -i INVENTORY, or set 'inventory' under [defaults] in ansible.cfg"), r.err());
    }

    @Test
    void missingInventoryFromAnsibleCfgNamesTheCfgLine() throws Exception {
        Files.writeString(tmp.resolve("ansible.cfg"), "[defaults]\n\ninventory = gone.ini\n");
        Run r = moat(tmp, Map.of(), "inventory", "--list");
        assertEquals(64, r.code());
        assertTrue(r.err().contains("inventory source not found: " + tmp.resolve("gone.ini") + " (given by " + tmp.resolve("ansible.cfg") + ":3)"),
                r.err());
    }

    @Test
    void malformedCfgIsExit65NamingTheLine() throws Exception {
        Files.writeString(tmp.resolve("ansible.cfg"), "[defaults]\ninventory\n");
        Run r = moat(tmp, Map.of(), "config");
        assertEquals(65, r.code());
        assertTrue(r.err().startsWith("moat: " + tmp.resolve("ansible.cfg") + ":2: expected 'key = value', got 'inventory'"), r.err());
    }

    @Test
    void listHostsIsAnsiblePlaybooksAndUnmatchedPatternsWarn() throws Exception {
        Path dir = RES.resolve("cli/listhosts");
        String site = dir.resolve("site.yml").toString();
        Run r = moat(dir, Map.of(), "apply", site, "-i", dir.resolve("hosts").toString(), "--list-hosts");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(dir.resolve("expected.txt")).replace("playbook: site.yml", "playbook: " + site), r.out());
        assertEquals(Files.readString(dir.resolve("expected-warnings.txt")), r.err());
        Run limited = moat(dir, Map.of(), "check", site, "-i", dir.resolve("hosts").toString(), "--list-hosts", "--limit", "w1");
        assertEquals(Files.readString(dir.resolve("expected-limit.txt")).replace("playbook: site.yml", "playbook: " + site), limited.out());
    }

    @Test
    void aPlayWithNoHostsSaysItIsSkipped() {
        StringWriter out = new StringWriter();
        new HumanPrinter(new PrintWriter(out), false, false, 0, s -> s).playStart("none", List.of());
        assertTrue(out.toString().contains("PLAY [none] ") && out.toString().endsWith("skipping: no hosts matched\n"), out.toString());
    }

    @Test
    void applyTakesTheInventoryFromAnsibleCfg() throws Exception {
        Path dir = RES.resolve("cli/listhosts");
        Files.writeString(tmp.resolve("ansible.cfg"), "[defaults]\ninventory = " + dir.resolve("hosts") + "\n");
        String site = dir.resolve("site.yml").toString();
        Run r = moat(tmp, Map.of(), "apply", site, "--list-hosts");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(dir.resolve("expected.txt")).replace("playbook: site.yml", "playbook: " + site), r.out());
        Files.writeString(tmp.resolve("other.ini"), "[x]\nw7\n");
        Run env = moat(tmp, Map.of("ANSIBLE_INVENTORY", "other.ini"), "apply", site, "--list-hosts");
        assertTrue(env.out().contains("    hosts (0):"), "ANSIBLE_INVENTORY beats the file: " + env.out());
        assertTrue(env.err().contains("ignoring: web"), env.err());
    }

    @Test
    void aMistypedExclusionIsStillRefused() throws Exception {
        Path dir = RES.resolve("cli/listhosts");
        Path play = tmp.resolve("p.yml");
        Files.writeString(play, "- hosts: web:!w9\n  tasks: [{debug: {msg: hi}}]\n");
        Run r = moat(dir, Map.of(), "apply", play.toString(), "-i", dir.resolve("hosts").toString(), "--list-hosts");
        assertEquals(64, r.code(), r.err());
        assertTrue(r.err().contains("host pattern '!w9' matches no host or group"), r.err());
    }

    @Test
    void userAndBecomeFlagsBeatTheEnvironmentButNotTheInventory() {
        Cfg.env = () -> new ConfigEnv(Map.of("ANSIBLE_REMOTE_USER", "envuser", "ANSIBLE_BECOME_USER", "envroot"), tmp, tmp);
        PlaybookOptions o = new PlaybookOptions();
        new CommandLine(o).parseArgs("site.yml", "-u", "cliuser", "-b", "--become-user", "postgres");
        AnsibleConfig cfg = PlaybookRun.withFlags(Cfg.load(null), o);
        o.conn.config = cfg;
        Map<String, Object> vars = o.conn.withDefaults(Map.of());
        assertEquals(Map.of("ansible_user", "cliuser", "ansible_become", true, "ansible_become_user", "postgres"), vars);
        Endpoint e = Endpoints.of("h1", vars);
        assertEquals("cliuser", e.user());
        Map<String, Object> inventorySays = o.conn.withDefaults(Map.of("ansible_user", "inv", "ansible_become", false));
        assertEquals("inv", inventorySays.get("ansible_user"));
        assertEquals(false, inventorySays.get("ansible_become"));

        PlaybookOptions none = new PlaybookOptions();
        new CommandLine(none).parseArgs("site.yml");
        none.conn.config = PlaybookRun.withFlags(Cfg.load(null), none);
        assertEquals(Map.of("ansible_user", "envuser", "ansible_become_user", "envroot"), none.conn.withDefaults(Map.of()),
                "without -b nothing becomes; the environment still names the users");
    }

    @Test
    void hostKeyCheckingFalseInCfgStopsApplyUnlessAcceptNewHostKeys() throws Exception {
        Files.writeString(tmp.resolve("ansible.cfg"), "[defaults]\nhost_key_checking = False\n");
        Path play = tmp.resolve("p.yml");
        Files.writeString(play, "- hosts: all\n  tasks: [{debug: {msg: hi}}]\n");
        Run r = moat(tmp, Map.of(), "apply", play.toString(), "-i", "127.0.0.1:1,");
        assertEquals(64, r.code(), r.err());
        assertTrue(r.err().contains(tmp.resolve("ansible.cfg") + ":2: host_key_checking = False"), r.err());
    }
}
