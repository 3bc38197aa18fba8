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
 * mount on a real host (issue 14): a tmpfs at /mnt/moat-tmp with {@code state: mounted} is mounted
 * in the host's own mount namespace with its fstab line, a rerun changes nothing ({@code moat check}
 * exits 0, its reads of fstab and mountinfo one read script), and {@code moat rollback last --force} unmounts it, removes the mount point it made and
 * restores /etc/fstab byte for byte. Nothing is mounted on the machine itself.
 */
class MountE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-mount");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static boolean mounted() {
        return tb.execOk(HOST, "grep -c ' /mnt/moat-tmp ' /proc/self/mountinfo || true").strip().equals("1");
    }

    @Test
    void mountsATmpfsWithItsFstabLineAndRollsBack() throws Exception {
        String fstabBefore = tb.execOk(HOST, "touch /etc/fstab; sha256sum /etc/fstab; stat -c '%a %U %G %s' /etc/fstab");
        assertFalse(mounted(), "nothing mounted before the run");
        assertEquals("absent\n", tb.execOk(HOST, "[ -e /mnt/moat-tmp ] && echo present || echo absent"));
        Path pb = dir.resolve("mount.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - ansible.posix.mount: {path: /mnt/moat-tmp, src: tmpfs, fstype: tmpfs, opts: "size=16m,mode=1777", state: mounted}
                """);
        String inv = tb.inventory().toString();
        ProcResult r = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(mounted(), "mounted in the host's namespace");
        assertTrue(tb.execOk(HOST, "cat /etc/fstab").endsWith("tmpfs /mnt/moat-tmp tmpfs size=16m,mode=1777 0 0\n"));
        assertEquals("tmpfs 1777\n", tb.execOk(HOST, "echo $(stat -f -c %T /mnt/moat-tmp) $(stat -c %a /mnt/moat-tmp)"), "a tmpfs with its mode option");

        ProcResult again = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().matches("(?s).*\\n" + HOST + " +: ok=\\d+ +changed=0 .*"), "a rerun changes nothing: " + again.describe());
        Path dump = dir.resolve("reads");
        ProcResult check = MoatCli.run(null, Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_READ_DUMP", dump.toString()),
                Duration.ofMinutes(5), "check", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, check.exitCode(), "check finds no drift: " + check.describe());
        List<Path> scripts;
        try (Stream<Path> s = Files.list(dump)) {
            scripts = s.filter(p -> p.getFileName().toString().startsWith(HOST + ".")).toList();
        }
        assertEquals(1, scripts.size(), "the no-op check is one read round trip: " + scripts);
        String reads = Files.readString(scripts.get(0));
        assertTrue(reads.contains("/proc/self/mountinfo") && reads.contains("/etc/fstab"), "fstab and mountinfo read in it");

        ProcResult rb = moat("rollback", "last", "-i", inv, "--limit", HOST, "--force");
        assertEquals(0, rb.exitCode(), rb.describe());
        assertFalse(mounted(), "rollback unmounted it");
        assertEquals("absent\n", tb.execOk(HOST, "[ -e /mnt/moat-tmp ] && echo present || echo absent"), "and removed the mount point it made");
        assertEquals(fstabBefore, tb.execOk(HOST, "sha256sum /etc/fstab; stat -c '%a %U %G %s' /etc/fstab"), "fstab restored byte for byte");
    }
}
