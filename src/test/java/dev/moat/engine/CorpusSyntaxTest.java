package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.moat.modules.Modules;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.playbook.RolesPath;
import dev.moat.yaml.YamlException;

/**
 * The public roles of {@code ../shared/corpus/} (see its README) loaded as {@code moat apply
 * --syntax-check} loads them, with {@code roles/} as the roles path: which playbooks load, and what
 * stops the others. Ansible 2.14 accepts all seven; each playbook that still fails names what moat
 * lacks, so when that lands this test says to move the playbook to the passing side. The corpus
 * is read through the relative path from the project directory ({@code -Dmoat.corpus=DIR} points
 * elsewhere, e.g. from a worktree); without it the test is skipped, saying so.
 */
class CorpusSyntaxTest {
    /** Playbook → null when it loads, else a part of the error that stops it (and whose work that is). */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();
    static {
        EXPECTED.put("geerlingguy.firewall.yml", null);
        EXPECTED.put("geerlingguy.security.yml", null);
        EXPECTED.put("geerlingguy.certbot.yml", null);
        // Modules: systemd_service with only a name (a status query; Ansible 2.14 fails it only on a host
        // that reaches it, 2.15 answers the status: moat checks required arguments at load).
        EXPECTED.put("geerlingguy.docker.yml", null);
        // Modules: apt's default_release.
        EXPECTED.put("geerlingguy.nginx.yml", null);
        // Modules: apt's autoremove (then environment:, a Keywords item).
        EXPECTED.put("nvidia.nvidia_docker.yml", null);
        // Modules: apt's autoremove (environment: is read now).
        EXPECTED.put("nvidia.nvidia_driver.yml", null);
    }

    static Path corpus() {
        return Path.of(System.getProperty("moat.corpus", "../shared/corpus"));
    }

    @Test
    void corpusPlaybooksLoadWithTheirRolesOrNameWhatStopsThem() throws Exception {
        Path corpus = corpus();
        Assumptions.assumeTrue(Files.isDirectory(corpus.resolve("play")) && Files.isDirectory(corpus.resolve("roles")),
                "skipped: no corpus at " + corpus.toAbsolutePath() + " (../shared/corpus from the project directory, or -Dmoat.corpus=DIR)");
        RolesPath roles = new RolesPath(List.of(corpus.resolve("roles")), List.of());
        Map<String, String> got = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        try (Stream<Path> s = Files.list(corpus.resolve("play"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yml") && !f.getFileName().toString().equals("inventory.yml")).sorted().toList()) {
                try {
                    Playbook pb = PlaybookLoader.load(p, Catalog.of(Modules.builtin()), roles);
                    got.put(p.getFileName().toString(), null);
                    pb.warnings().forEach(w -> warnings.add(w.toString()));
                } catch (YamlException e) {
                    got.put(p.getFileName().toString(), e.getMessage());
                }
            }
        }
        assertEquals(new TreeMap<>(EXPECTED).keySet(), got.keySet(), "the corpus's playbooks changed");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            String error = got.get(e.getKey());
            if (e.getValue() == null && error != null) wrong.add(e.getKey() + " should load, but: " + error);
            if (e.getValue() != null && error == null) wrong.add(e.getKey() + " loads now: move it to the passing side");
            if (e.getValue() != null && error != null && !error.contains(e.getValue())) {
                wrong.add(e.getKey() + ": expected '" + e.getValue() + "' in: " + error);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        // What loads names the modules moat lacks, each with its place, and only as warnings: modules of
        // other systems' branches (RedHat, Suse, BSD, Arch), and the modules other issues build.
        assertFalse(warnings.isEmpty());
        List<String> unexpected = new ArrayList<>();
        for (String w : warnings) {
            assertTrue(w.matches(".+\\.yml:\\d+:\\d+: .+"), w);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (?:ansible\\.(?:builtin|legacy)\\.)?([a-z0-9_]+) is not supported by moat; a host that reaches this task fails$").matcher(w);
            boolean known = m.find() && (NOT_DEBIAN.contains(m.group(1)) || OTHER_ISSUES.contains(m.group(1)));
            // nvidia.nvidia_docker notifies 'restart docker', its handler is 'Restart docker': Ansible fails it when it runs.
            boolean roleBug = w.contains("nvidia.nvidia_docker/tasks/") && w.contains("notify: no handler named 'restart docker'");
            if (!known && !roleBug) unexpected.add(w);
        }
        assertEquals(List.of(), unexpected, "warnings other than modules no Debian host reaches");
        for (String m : List.of("package", "apt_key", "apt_repository", "deb822_repository", "dpkg_selections", "systemd_service")) {
            assertTrue(warnings.stream().noneMatch(w -> w.contains(" " + m + " is not supported") || w.contains("." + m + " is not supported")), m + " is moat's");
        }
    }

    /** Package managers and modules of systems other than Debian: no Debian host reaches their tasks. */
    static final List<String> NOT_DEBIAN = List.of("yum", "dnf", "rpm_key", "yum_repository", "zypper", "zypper_repository",
            "pacman", "pkgng", "openbsd_pkg");
    /**
     * Modules a Debian host may reach that moat does not have yet: issue 14's system part (git, cron,
     * modprobe, reboot) and snap (certbot's non-default certbot_install_method: snap).
     */
    static final List<String> OTHER_ISSUES = List.of("git", "cron", "modprobe", "reboot", "snap");
}
