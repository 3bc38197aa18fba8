package dev.moat.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.moat.MoatException;

/**
 * ansible.cfg against Ansible: each case under {@code src/test/resources/config/} holds a cfg file,
 * optional environment variables ({@code env.txt}) and what {@code ansible-config dump
 * --only-changed} printed for them ({@code expected.txt}, recorded by {@code record.sh}); moat's
 * dump of the keys it reads must be the same lines.
 */
class AnsibleConfigTest {
    private static final Path CASES = Path.of("src/test/resources/config");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"full", "env", "empty", "both", "multiline", "quoted"})
    void dumpIsAnsibles(String name) throws IOException {
        Path dir = tmp.resolve("case");
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        copy(CASES.resolve(name), dir);
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        Path envFile = CASES.resolve(name).resolve("env.txt");
        if (Files.exists(envFile)) {
            for (String l : Files.readAllLines(envFile)) env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        }
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(env, dir, home));
        Set<String> moatKeys = Stream.of(ConfigKey.values()).map(ConfigKey::ansibleName).collect(Collectors.toSet());
        List<String> expected = Files.readAllLines(CASES.resolve(name).resolve("expected.txt")).stream()
                .filter(l -> l.startsWith("CONFIG_FILE(") || moatKeys.contains(l.substring(0, l.indexOf('('))))
                .map(l -> l.replace("@DIR@", dir.toString()).replace("@HOME@", home.toString()))
                .toList();
        assertEquals(expected, cfg.dump(true));
    }

    @Test
    void typedValuesOfTheFullCase() throws IOException {
        Path dir = tmp.resolve("case");
        copy(CASES.resolve("full"), dir);
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(Map.of(), dir, tmp));
        assertEquals(List.of(dir + "/hosts.ini", dir + "/inventory", tmp + "/shared/hosts"), cfg.inventory());
        assertTrue(cfg.inventoryConfigured());
        assertEquals(List.of(dir.resolve("roles"), tmp.resolve("shared/roles"), Path.of("/opt/roles")), cfg.rolesPath());
        assertEquals(List.of(dir.resolve("collections")), cfg.collectionsPath());
        assertEquals("ops", cfg.remoteUser().orElseThrow());
        assertEquals(dir.resolve("keys/id_ed25519"), cfg.privateKeyFile().orElseThrow());
        assertEquals(20, cfg.forks());
        assertEquals(30, cfg.timeout());
        assertFalse(cfg.hostKeyChecking());
        assertEquals(tmp.resolve(".vault_pass"), cfg.vaultPasswordFile().orElseThrow());
        assertTrue(cfg.become());
        assertEquals("admin", cfg.becomeUser());
        assertEquals("sudo", cfg.becomeMethod());
    }

    @Test
    void defaultsWithoutAnyFile() {
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(Map.of(), tmp, tmp));
        if (Files.exists(Path.of("/etc/ansible/ansible.cfg"))) return;
        assertTrue(cfg.file().isEmpty());
        assertEquals(List.of("CONFIG_FILE() = None"), cfg.dump(true));
        assertFalse(cfg.inventoryConfigured());
        assertEquals(100, cfg.forks());
        assertEquals(10, cfg.timeout());
        assertTrue(cfg.hostKeyChecking());
        assertFalse(cfg.become());
        assertEquals("root", cfg.becomeUser());
        assertEquals(List.of(tmp.resolve(".ansible/roles"), Path.of("/usr/share/ansible/roles"), Path.of("/etc/ansible/roles")),
                cfg.rolesPath());
        assertTrue(cfg.vaultPasswordFile().isEmpty());
    }

    @Test
    void searchOrderEnvThenCwdThenHome() throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("proj"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve(".ansible.cfg"), "[defaults]\nforks = 3\n");
        assertEquals(home.resolve(".ansible.cfg"), AnsibleConfig.load(new ConfigEnv(Map.of(), cwd, home)).file().orElseThrow());
        Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nforks = 4\n");
        AnsibleConfig local = AnsibleConfig.load(new ConfigEnv(Map.of(), cwd, home));
        assertEquals(4, local.forks(), "./ansible.cfg beats ~/.ansible.cfg, and the two are not merged");
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("ansible.cfg"), "[defaults]\ntimeout = 5\n");
        AnsibleConfig byEnv = AnsibleConfig.load(new ConfigEnv(Map.of("ANSIBLE_CONFIG", other.toString()), cwd, home));
        assertEquals(other.resolve("ansible.cfg"), byEnv.file().orElseThrow(), "ANSIBLE_CONFIG naming a directory means its ansible.cfg");
        assertEquals(5, byEnv.timeout());
        assertEquals(100, byEnv.forks(), "no merging with ./ansible.cfg");
    }

    @Test
    void worldWritableCwdIsSkippedWithAWarning() throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("public"));
        Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nforks = 4\n");
        Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxrwxrwx"));
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(Map.of(), cwd, tmp));
        assertEquals(100, cfg.forks());
        assertEquals(1, cfg.warnings().size());
        assertTrue(cfg.warnings().get(0).contains("world writable directory (" + cwd + ")"), cfg.warnings().toString());
        AnsibleConfig named = AnsibleConfig.load(new ConfigEnv(Map.of("ANSIBLE_CONFIG", cwd.resolve("ansible.cfg").toString()), cwd, tmp));
        assertEquals(4, named.forks(), "ANSIBLE_CONFIG may still name it");
        assertEquals(List.of(), named.warnings());
    }

    @Test
    void malformedFilesNameFileAndLine() throws IOException {
        assertBad("forks = 3\n[defaults]\n", ":1: 'forks = 3' comes before any [section]");
        assertBad("[defaults]\n# fine\nforks\n", ":3: expected 'key = value', got 'forks'");
        assertBad("[defaults]\nforks = 1\nFORKS = 2\n", ":3: 'forks' is set twice in [defaults]");
        assertBad("[defaults]\n[x]\n[defaults]\n", ":3: section [defaults] is given twice");
        assertBad("[defaults]\nforks = many\n", ":2 (forks): forks must be a whole number, not 'many'");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        MoatException e = assertThrows(MoatException.class,
                () -> AnsibleConfig.load(new ConfigEnv(Map.of("ANSIBLE_TIMEOUT", "soon"), tmp, tmp)));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().startsWith("environment variable ANSIBLE_TIMEOUT: timeout must be a whole number"), e.getMessage());
    }

    @Test
    void hostKeyCheckingFalseIsRefusedUnlessAcceptNewHostKeys() throws IOException {
        Files.writeString(tmp.resolve("ansible.cfg"), "[defaults]\n\nhost_key_checking = False\n");
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(Map.of(), tmp, tmp));
        MoatException e = assertThrows(MoatException.class, () -> cfg.checkForHosts(false));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().startsWith(tmp.resolve("ansible.cfg") + ":3: host_key_checking = False"), e.getMessage());
        assertTrue(e.getMessage().contains("--accept-new-host-keys"));
        cfg.checkForHosts(true);
    }

    @Test
    void becomeMethodSuIsRefused() throws IOException {
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(Map.of("ANSIBLE_BECOME_METHOD", "su"), tmp, tmp));
        MoatException e = assertThrows(MoatException.class, () -> cfg.checkForHosts(true));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().startsWith("environment variable ANSIBLE_BECOME_METHOD: become_method = su: moat becomes another user only through sudo"),
                e.getMessage());
    }

    @Test
    void commandLineBeatsEnvironment() {
        AnsibleConfig cfg = AnsibleConfig.load(new ConfigEnv(Map.of("ANSIBLE_REMOTE_USER", "envuser"), tmp, tmp))
                .override(ConfigKey.DEFAULT_REMOTE_USER, "cliuser", "-u");
        assertEquals("cliuser", cfg.remoteUser().orElseThrow());
        assertEquals("DEFAULT_REMOTE_USER(cli: -u) = cliuser", cfg.setting(ConfigKey.DEFAULT_REMOTE_USER).dumpLine());
    }

    private void assertBad(String text, String expected) throws IOException {
        Path f = tmp.resolve("ansible.cfg");
        Files.writeString(f, text);
        MoatException e = assertThrows(MoatException.class, () -> AnsibleConfig.load(new ConfigEnv(Map.of(), tmp, tmp)));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().startsWith(f + expected), e.getMessage());
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(from)) {
            s.forEach(files::add);
        }
        for (Path f : files) Files.copy(f, to.resolve(f.getFileName()));
    }
}
