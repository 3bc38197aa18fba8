package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pip and git on a real host (issue 14), from local sources only
 * ({@code tests/fixtures/pipgit/sources.sh} on the host: a wheel directory used with
 * {@code --no-index --find-links}, a bare repository used as a file:// remote). One playbook makes
 * a virtualenv with moat-probe 1.0 in it, moves an existing checkout from main to the stable
 * branch and clones the repository at tag v1 into a new directory. A rerun changes nothing,
 * {@code moat check} exits 0 with its reads in one script, and {@code moat rollback last} removes
 * the virtualenv and the new clone and puts the old checkout back byte for byte (at main again).
 */
class PipGitE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";
    static final String MAIN = "1cc77d8f06ce3a967eb2c9809dff45c7a5504dff";
    static final String STABLE = "e012d565b36ae5279a4e59345bdb33c98e5c6691";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-pipgit");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        ProcResult src = tb.exec(HOST, "root", "sh -s /srv/moat-src", Files.readString(Path.of("tests/fixtures/pipgit/sources.sh")));
        assertTrue(src.ok(), src.describe());
        tb.execOk(HOST, "rm -rf /opt/moat-venv /opt/moat-app /opt/moat-new && git clone -q /srv/moat-src/app.git /opt/moat-app");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(10), args);
    }

    static String state() {
        return tb.execOk(HOST, "[ -e /opt/moat-venv ] && /opt/moat-venv/bin/pip list --format=freeze --disable-pip-version-check | grep moat; "
                + "git -C /opt/moat-app rev-parse HEAD; git -C /opt/moat-app rev-parse --abbrev-ref HEAD; "
                + "[ -e /opt/moat-new ] && git -C /opt/moat-new rev-parse HEAD; true");
    }

    @Test
    void aVirtualenvAndTwoCheckoutsApplyRerunCheckAndRollBack() throws Exception {
        assertEquals(MAIN + "\nmain\n", state());
        Listing before = tb.checksumListing(HOST, "/opt");
        Path pb = dir.resolve("pipgit.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - ansible.builtin.pip:
                        name: moat-probe==1.0
                        virtualenv: /opt/moat-venv
                        extra_args: --no-index --find-links /srv/moat-src/wheels
                      register: p
                    - ansible.builtin.git: {repo: /srv/moat-src/app.git, dest: /opt/moat-app, version: stable}
                      register: g
                    - git: {repo: /srv/moat-src/app.git, dest: /opt/moat-new, version: v1, depth: 1}
                    - debug: {msg: "git {{ g.before }} -> {{ g.after }} url {{ g.remote_url_changed }}; pip {{ p.virtualenv }}"}
                """);
        String inv = tb.inventory().toString();
        ProcResult r = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("moat-probe==1.0\n" + STABLE + "\nstable\n" + STABLE + "\n", state());
        // The checkout was cloned from the plain path; Ansible (and moat) make the repo a file:// URL and
        // compare the two as written, so the remote URL is set anew and reported changed.
        assertTrue(r.stdout().contains("git " + MAIN + " -> " + STABLE + " url True; pip /opt/moat-venv"), r.stdout());
        assertEquals("file:///srv/moat-src/app.git\n", tb.execOk(HOST, "git -C /opt/moat-app remote get-url origin"));
        assertEquals("1.0\n", tb.execOk(HOST, "/opt/moat-venv/bin/python -c 'import moat_probe; print(moat_probe.VERSION)'"));

        ProcResult again = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().matches("(?s).*\\n" + HOST + " +: ok=\\d+ +changed=0 .*"), "a rerun changes nothing: " + again.describe());
        Path dump = dir.resolve("reads");
        ProcResult check = MoatCli.run(null, Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_READ_DUMP", dump.toString()),
                Duration.ofMinutes(10), "check", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, check.exitCode(), "check finds no drift: " + check.describe());
        List<Path> scripts;
        try (Stream<Path> s = Files.list(dump)) {
            scripts = s.filter(p -> p.getFileName().toString().startsWith(HOST + ".")).toList();
        }
        assertEquals(1, scripts.size(), "the no-op check is one read round trip: " + scripts);
        String reads = Files.readString(scripts.get(0));
        assertTrue(reads.contains("--dry-run") && reads.contains("ls-remote"), "pip's dry run and git's ls-remote read in it");

        ProcResult rb = moat("rollback", "last", "-i", inv, "--limit", HOST);
        assertEquals(0, rb.exitCode(), rb.describe());
        assertEquals(MAIN + "\nmain\n", state(), "the virtualenv and the new clone removed, the checkout back on main");
        assertEquals(before, tb.checksumListing(HOST, "/opt"), "/opt byte for byte as before the run");
    }
}
