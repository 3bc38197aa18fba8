package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * reboot and wait_for_connection on systemd testbed hosts ({@code testbed up N --systemd}), which
 * really reboot: nspawn exits 133 and the runner boots the host again on the same disk. Each
 * boot is logged with its time in {@code hosts/hN/boots}, which shows whether reboots overlapped.
 */
@Tag("systemd")
class RebootE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.systemd(), "testbed hosts do not run systemd (up --systemd)");
        assumeTrue(tb.hosts().size() >= 2, "needs two hosts");
        dir = Files.createTempDirectory("moat-reboot");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || !tb.systemd()) return;
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -f /etc/moat-reboot.txt /etc/moat-after-reboot.txt");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(6), args);
    }

    static String bootId(String host) {
        return tb.execOk(host, "cat /proc/sys/kernel/random/boot_id").strip();
    }

    /** The times of {@code host}'s boot-log lines of {@code kind} ("boot" or "exit 133"), in seconds since the epoch. */
    static List<Double> boots(String host, String kind) throws Exception {
        return Files.readAllLines(tb.dir().resolve("hosts/" + host + "/boots")).stream().filter(l -> l.startsWith(kind + " "))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
    }

    static String runId(ProcResult r) {
        Matcher m = Pattern.compile("\\(run ([^)]+)\\)").matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        return m.group(1);
    }

    @Test
    void aRebootIsADesignedDisconnectTheRunGoesOnAfterItAndRollbackSaysItCannotBeUndone() throws Exception {
        String h1 = tb.hosts().get(0).name(), h2 = tb.hosts().get(1).name();
        Map<String, String> before = Map.of(h1, bootId(h1), h2, bootId(h2));
        Path play = dir.resolve("reboot.yml");
        Files.writeString(play, """
                - hosts: %s,%s
                  serial: 1
                  gather_facts: false
                  tasks:
                    - name: a file before the reboot
                      copy: {dest: /etc/moat-reboot.txt, content: "before\\n"}
                    - name: reboot into the new setting
                      reboot: {msg: "moat e2e", reboot_timeout: 180}
                      register: r
                    - name: read after the reboot
                      command: cat /proc/sys/kernel/random/boot_id
                      register: boot
                      changed_when: false
                    - name: a file after the reboot
                      copy: {dest: /etc/moat-after-reboot.txt, content: "{{ boot.stdout }} {{ r.rebooted }} {{ r.elapsed is number }}\\n"}
                """.formatted(h1, h2));
        ProcResult r = moat("apply", play.toString(), "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("changed: [" + h1 + "] reboot into the new setting"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*rebooted in \\d+ s \\(new boot id\\), reconnected.*"), r.stdout());
        for (String h : List.of(h1, h2)) {
            String now = bootId(h);
            assertNotEquals(before.get(h), now, h + " rebooted");
            assertEquals(now + " True True\n", tb.execOk(h, "cat /etc/moat-after-reboot.txt"), h + ": the later task read the host after its reboot");
            assertEquals("before\n", tb.execOk(h, "cat /etc/moat-reboot.txt"));
        }
        // serial: 1: h2 went down only after h1 was back (its last boot came before h2's last exit).
        List<Double> h1Boots = boots(h1, "boot"), h2Exits = boots(h2, "exit 133");
        assertTrue(h1Boots.get(h1Boots.size() - 1) < h2Exits.get(h2Exits.size() - 1), "reboots overlapped: " + h1Boots + " " + h2Exits);

        String id = runId(r);
        assertEquals("yes\n", tb.execOk(h1, "[ -d /var/lib/moat/runs/" + id + " ] && echo yes || echo no"), "the journal survived the reboot");
        String bootBefore = bootId(h1);
        ProcResult back = moat("rollback", "last", "-i", tb.inventory().toString());
        assertEquals(0, back.exitCode(), back.describe());
        assertTrue(back.stdout().matches("(?s).*cannot be undone, left as they are: .*reboot of the host \\(moat e2e\\).*"), back.stdout());
        for (String h : List.of(h1, h2)) {
            assertEquals("absent\n", tb.execOk(h, "[ -e /etc/moat-reboot.txt ] || [ -e /etc/moat-after-reboot.txt ] && echo present || echo absent"), h);
        }
        assertEquals(bootBefore, bootId(h1), "a rollback never reboots");
    }

    @Test
    void afterARebootTheRestOfThePlayIsReadInOneRoundTrip() throws Exception {
        String h = tb.hosts().get(0).name();
        String before = bootId(h);
        Path play = dir.resolve("reads.yml");
        Files.writeString(play, """
                - hosts: %s
                  gather_facts: false
                  tasks:
                    - name: a file before the reboot
                      copy: {dest: /etc/moat-reboot.txt, content: "before\\n"}
                    - name: reboot
                      reboot: {msg: "moat e2e reads", reboot_timeout: 180}
                    - name: the boot id, a read-only command
                      command: cat /proc/sys/kernel/random/boot_id
                      register: boot
                      check_mode: false
                      changed_when: false
                    - name: a file after the reboot
                      copy: {dest: /etc/moat-after-reboot.txt, content: "{{ boot.stdout }}\\n"}
                    - lineinfile: {path: /etc/moat-reboot.txt, line: after}
                    - stat: {path: /etc/hostname}
                      register: st
                    - file: {path: /etc/moat-reboot.d, state: directory, mode: "0700"}
                """.formatted(h));
        Path dump = dir.resolve("reads");
        ProcResult r = MoatCli.run(null, Map.of("MOAT_HOME", env.get("MOAT_HOME"), "MOAT_READ_DUMP", dump.toString()),
                Duration.ofMinutes(6), "apply", play.toString(), "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        String now = bootId(h);
        assertNotEquals(before, now);
        assertEquals(now + "\n", tb.execOk(h, "cat /etc/moat-after-reboot.txt"), "the command read the rebooted host");
        assertEquals("before\nafter\n", tb.execOk(h, "cat /etc/moat-reboot.txt"));
        assertEquals("700\n", tb.execOk(h, "stat -c %a /etc/moat-reboot.d"));
        List<String> reads;
        try (var files = Files.list(dump)) {
            reads = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(h + ".")).sorted().toList();
        }
        // Issue 14: one read at the start, one after the reconnect for the five tasks left. No task after the
        // reboot touches what an earlier one changed: such a task reads again, as anywhere in a play.
        assertEquals(2, reads.size(), "read scripts sent to " + h + ": " + reads);
        ProcResult back = moat("rollback", "last", "-i", tb.inventory().toString());
        assertEquals(0, back.exitCode(), back.describe());
        assertEquals("absent\n", tb.execOk(h, "[ -e /etc/moat-reboot.d ] || [ -e /etc/moat-after-reboot.txt ] && echo present || echo absent"));
    }

    @Test
    void checkModeSaysWouldRebootAndDoesNot() throws Exception {
        String h = tb.hosts().get(tb.hosts().size() - 1).name();
        String before = bootId(h);
        Path play = dir.resolve("check.yml");
        Files.writeString(play, "- hosts: " + h + "\n  gather_facts: false\n  tasks:\n    - reboot: {}\n    - wait_for_connection: {}\n");
        ProcResult r = moat("apply", "--check", play.toString(), "-i", tb.inventory().toString());
        assertEquals(2, r.exitCode(), "drift: a reboot would happen: " + r.describe());
        assertTrue(r.stdout().contains("would reboot"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\n" + h + " +: ok=1 +changed=1 +unreachable=0 +failed=0 +skipped=1 .*"), "wait_for_connection skipped: " + r.stdout());
        assertEquals(before, bootId(h));
    }

    @Test
    void waitForConnectionWaitsOutARebootStartedByACommand() throws Exception {
        String h = tb.hosts().get(tb.hosts().size() - 1).name();
        String before = bootId(h);
        Path play = dir.resolve("wait.yml");
        Files.writeString(play, """
                - hosts: %s
                  gather_facts: false
                  tasks:
                    - name: reboot in three seconds, by a command
                      command: systemd-run --on-active=3 systemctl reboot
                    - name: wait for the host
                      wait_for_connection: {delay: 20, timeout: 120}
                      register: w
                    - name: read after it
                      command: cat /proc/sys/kernel/random/boot_id
                      register: boot
                      changed_when: false
                    - debug: {msg: "boot {{ boot.stdout }} after {{ w.elapsed }}"}
                """.formatted(h));
        ProcResult r = moat("apply", play.toString(), "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        String now = bootId(h);
        assertNotEquals(before, now);
        assertTrue(r.stdout().contains("boot " + now + " after "), "the task after the wait read the rebooted host: " + r.stdout());
    }
}
