package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on real hosts (issue 11): the SSH connection dropping in the middle of a change, and a
 * host whose disk is full when the journal must be written. Each time the failing host is restored
 * or left exactly as the journal says, the other hosts converge, the exit code and recap say what
 * happened, and {@code moat rollback last} still works.
 */
class FaultE2E {
    static Testbed tb;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-fault");
        inventory = dir.resolve("inventory.yml");
        Files.copy(tb.inventory(), inventory);
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    @AfterAll
    static void tearDown() {
        if (tb == null) return;
        tb.exec("h3", "mountpoint -q /var/lib/moat && umount /var/lib/moat; true");
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -f /etc/moat-fault.txt /etc/moat-fault-half.txt /etc/moat-big.txt");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static Path playbook(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aConnectionLostMidChangeIsRolledBackOverAFreshOne() throws Exception {
        // The second task kills the sshd session it runs in: the connection drops with one change made.
        Path play = playbook("drop.yml", """
                - hosts: h1,h2
                  tasks:
                    - name: a change before the drop
                      copy: {content: "changed\\n", dest: /etc/moat-fault.txt}
                    - name: the connection drops in the middle of a change
                      shell: |
                        echo half > /etc/moat-fault-half.txt
                        [ "$(hostname)" = h2 ] || exit 0
                        p=$$
                        while [ "$p" -gt 1 ]; do
                          if [ "$(cat /proc/$p/comm)" = sshd ]; then kill -9 "$p"; break; fi
                          p=$(awk '{print $4}' /proc/$p/stat)
                        done
                        sleep 5
                """);
        tb.execOk("h2", "echo before > /etc/moat-fault.txt");
        ProcResult r = moat("apply", play.toString(), "-i", inventory.toString());
        assertEquals(3, r.exitCode(), "unreachable: " + r.describe());
        assertTrue(r.stdout().contains("unreachable: [h2] the connection drops in the middle of a change"), r.stdout());
        assertTrue(r.stdout().contains("ok: [h2] rollback\n    restored this run's 1 change(s)"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\nh2 +: .*unreachable=1 .*rolled back.*reconnected after the connection was lost.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\nh1 +: ok=2 +changed=2 +unreachable=0 +failed=0 .*"), "the other host converges: " + r.stdout());
        assertEquals("before\n", tb.execOk("h2", "cat /etc/moat-fault.txt"), "restored over a fresh connection");
        assertEquals("half\n", tb.execOk("h2", "cat /etc/moat-fault-half.txt"), "a command's effect stays, as the recap said");
        assertEquals("changed\n", tb.execOk("h1", "cat /etc/moat-fault.txt"));

        ProcResult back = moat("rollback", "last", "-i", inventory.toString(), "--force");
        assertEquals(0, back.exitCode(), back.describe());
        assertEquals("no", tb.execOk("h1", "[ -e /etc/moat-fault.txt ] && echo yes || echo no").strip(), "rollback last still works");
        assertEquals("before\n", tb.execOk("h2", "cat /etc/moat-fault.txt"));
    }

    @Test
    void aFullDiskRefusesTheChangeItCannotSnapshot() throws Exception {
        Path play = playbook("full.yml", """
                - hosts: h1,h3
                  tasks:
                    - name: a change whose snapshot does not fit
                      copy: {content: "new\\n", dest: /etc/moat-big.txt}
                """);
        for (String h : new String[] {"h1", "h3"}) tb.execOk(h, "head -c 300000 /dev/urandom | base64 > /etc/moat-big.txt");
        String before = tb.execOk("h3", "sha256sum /etc/moat-big.txt");
        // The journal's filesystem on h3 is full: 56 KiB left for a 400 KB snapshot.
        tb.execOk("h3", "mkdir -p /var/lib/moat && mount -t tmpfs -o size=256k tmpfs /var/lib/moat"
                + " && dd if=/dev/zero of=/var/lib/moat/fill bs=1k count=200 2>/dev/null");
        try {
            ProcResult r = moat("apply", play.toString(), "-i", inventory.toString());
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stdout().contains("failed: [h3] a change whose snapshot does not fit"), r.stdout());
            assertTrue(r.stdout().contains("could not journal the change before making it"), r.stdout());
            assertTrue(r.stdout().matches("(?s).*\\nh3 +: ok=0 +changed=0 +unreachable=0 +failed=1 .*"), r.stdout());
            assertEquals(before, tb.execOk("h3", "sha256sum /etc/moat-big.txt"), "nothing changed without its snapshot");
            assertEquals("new\n", tb.execOk("h1", "cat /etc/moat-big.txt"), "the other host converges");
        } finally {
            tb.execOk("h3", "umount /var/lib/moat");
        }
        ProcResult back = moat("rollback", "last", "-i", inventory.toString(), "--force");
        assertEquals(0, back.exitCode(), back.describe());
        assertTrue(tb.execOk("h1", "wc -c < /etc/moat-big.txt").strip().length() > 3, "h1's file is back: " + back.stdout());
    }
}
