package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's acceptance on real hosts: a failure midway restores that host byte for byte (files and
 * firewall) while the others converge; a firewall playbook that forgets the SSH port never locks
 * the host out (also with sshd on another port); SIGKILL inside the firewall change leaves the host
 * reachable and its firewall as before once the guard fires; a second concurrent run is refused;
 * {@code moat rollback last} restores a successful run.
 */
class RollbackE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    static final String FIREWALL_LISTING = "ufw status verbose; cat /etc/ufw/user.rules /etc/ufw/user6.rules /etc/default/ufw | sha256sum";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-rollback");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    @AfterEach
    void cleanUp() {
        for (TestHost h : tb.hosts()) {
            tb.exec(h.name(), "ufw --force reset >/dev/null 2>&1; ufw default deny incoming >/dev/null 2>&1; ufw --force disable >/dev/null 2>&1; "
                    + "rm -rf /etc/moat-e2e.conf /var/www/moat-e2e /opt/moat-e2e /etc/ufw/*.rules.20*");
        }
    }

    static ProcResult moat(Map<String, String> extraEnv, String... args) {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.putAll(extraEnv);
        return MoatCli.run(null, e, Duration.ofMinutes(5), args);
    }

    static Path playbook(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    static String state(String host) {
        return tb.checksumListing(host, "/etc", "/opt", "/var/www").toString() + "\n" + tb.execOk(host, FIREWALL_LISTING);
    }

    static final String CHANGES = """
            - hosts: lab
              tasks:
                - name: config
                  copy: {dest: /etc/moat-e2e.conf, content: "managed\\n", mode: "0600"}
                - name: site dir
                  file: {path: /var/www/moat-e2e/static, state: directory}
                - name: page
                  copy: {dest: /var/www/moat-e2e/static/index.html, content: "<h1>hi</h1>\\n"}
                - name: hosts line
                  lineinfile: {path: /etc/hosts, line: "127.0.0.9 moat-e2e.test"}
                - name: firewall
                  ufw:
                    state: enabled
                    default: deny
                    rules:
                      - {rule: allow, port: 22, proto: tcp}
                      - {rule: allow, port: 80, proto: tcp}
                      - {rule: allow, port: 443, proto: tcp}
                - name: opt
                  copy: {dest: /opt/moat-e2e/app.conf, content: "x\\n"}
                - name: breaks on h2
                  command: "false"
                  when: inventory_hostname == 'h2'
            """;

    @Test
    void aTaskFailingMidwayRestoresThatHostByteForByteWhileTheOthersConverge() throws Exception {
        for (TestHost h : tb.hosts()) tb.execOk(h.name(), "mkdir -p /opt/moat-e2e");
        Map<String, String> before = new java.util.HashMap<>();
        for (TestHost h : tb.hosts()) before.put(h.name(), state(h.name()));
        Path pb = playbook("fail-h2.yml", CHANGES);
        ProcResult r = moat(Map.of(), "apply", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*h2 +: .*failed=1.*rolled back.*"), r.stdout());
        assertEquals(before.get("h2"), state("h2"), "h2 is exactly as it was: files, modes, owners, firewall");
        for (String h : List.of("h1", "h3")) {
            assertEquals("managed\n", tb.execOk(h, "cat /etc/moat-e2e.conf"));
            assertTrue(tb.execOk(h, "ufw status").contains("Status: active"));
        }
        // Now restore the converged hosts with moat rollback, and prove it.
        ProcResult rb = moat(Map.of(), "rollback", "last", "-i", tb.inventory().toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        for (String h : List.of("h1", "h3")) assertEquals(before.get(h), state(h), "moat rollback last restored " + h);
    }

    @Test
    void aFirewallThatForgetsSshNeverLocksTheHostOut() throws Exception {
        Path pb = playbook("forget-ssh.yml", """
                - hosts: h1
                  tasks:
                    - ufw:
                        state: enabled
                        default: deny
                        rules:
                          - {rule: allow, port: 80, proto: tcp}
                          - {rule: allow, port: 443, proto: tcp}
                """);
        String before = state("h1");
        ProcResult r = moat(Map.of(), "apply", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("22"), "names the SSH port: " + r.stdout());
        assertEquals("ok\n", tb.execOk("h1", "echo ok"), "the host still answers SSH");
        assertEquals(before, state("h1"));
    }

    @Test
    void aFirewallThatForgetsANonStandardSshPortNeverLocksTheHostOut() throws Exception {
        String h3 = tb.host("h3").address();
        tb.execOk("h3", "/usr/sbin/sshd -p 2222 -o PidFile=/run/moat-e2e-sshd.pid");
        try {
            Path known = dir.resolve("known_2222");
            Files.write(known, Files.readAllLines(tb.knownHosts()).stream().filter(l -> l.startsWith(h3 + " "))
                    .map(l -> "[" + h3 + "]:2222" + l.substring(h3.length())).toList());
            Path inv = dir.resolve("inv-2222.yml");
            Files.writeString(inv, "all:\n  hosts:\n    h3:\n      ansible_host: " + h3 + "\n      ansible_port: 2222\n"
                    + "      ansible_user: root\n      ansible_ssh_private_key_file: " + tb.key() + "\n");
            Path pb = playbook("forget-2222.yml", """
                    - hosts: all
                      tasks:
                        - ufw:
                            state: enabled
                            default: deny
                            rules:
                              - {rule: allow, port: 22, proto: tcp}
                              - {rule: allow, port: 443, proto: tcp}
                    """);
            ProcResult r = moat(Map.of(), "apply", pb.toString(), "-i", inv.toString(), "--known-hosts", known.toString());
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stdout().contains("2222"), "names port 2222: " + r.stdout());
            assertEquals(0, tb.exec("h3", "echo ok").exitCode());
            ProcResult again = moat(Map.of(), "apply", playbook("ok.yml", "- hosts: all\n  tasks:\n    - command: 'true'\n").toString(),
                    "-i", inv.toString(), "--known-hosts", known.toString());
            assertEquals(0, again.exitCode(), "sshd on 2222 still takes new connections: " + again.describe());
        } finally {
            tb.exec("h3", "kill $(cat /run/moat-e2e-sshd.pid)");
        }
    }

    @Test
    void sigkillDuringTheFirewallChangeLeavesTheHostReachableAndRevertsByItself() throws Exception {
        // The change moves the default policy too: the revert must put /etc/default/ufw back as well.
        tb.execOk("h1", "ufw default allow incoming >/dev/null");
        String before = tb.execOk("h1", FIREWALL_LISTING);
        killDuringFirewallChange();
        assertEquals("ok\n", tb.execOk("h1", "echo ok"), "reachable right after the kill");
        long t1 = System.currentTimeMillis();
        while (!tb.execOk("h1", FIREWALL_LISTING).equals(before)) {
            assertTrue(System.currentTimeMillis() - t1 < 20_000, "the guard did not restore the firewall within its timeout");
            Thread.sleep(500);
        }
        assertEquals(before, tb.execOk("h1", FIREWALL_LISTING));
    }

    static final String FIREWALL = """
            - hosts: h1
              tasks:
                - ufw:
                    state: enabled
                    default: deny
                    rules:
                      - {rule: allow, port: 22, proto: tcp}
                      - {rule: allow, port: 443, proto: tcp}
            """;

    /** Starts a firewall change on h1 that pauses before its confirmation, and SIGKILLs moat inside the guard window (6 s). */
    static void killDuringFirewallChange() throws Exception {
        killDuringFirewallChange(6);
    }

    /** As above, with a guard window of {@code guardSeconds}. */
    static void killDuringFirewallChange(int guardSeconds) throws Exception {
        Path pb = playbook("fw.yml", FIREWALL);
        List<String> cmd = new ArrayList<>(MoatCli.command(List.of("apply", pb.toString(), "-i", tb.inventory().toString(),
                "--guard-timeout", String.valueOf(guardSeconds))));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.out").toFile());
        b.environment().putAll(env);
        b.environment().put("MOAT_FAULT_PAUSE_BEFORE_CONFIRM", "60");
        Process moat = b.start();
        long t0 = System.currentTimeMillis();
        while (!tb.execOk("h1", "ufw status").contains("Status: active")) {
            assertTrue(System.currentTimeMillis() - t0 < 30_000, "the firewall change never started");
            Thread.sleep(200);
        }
        // moat's JVM and launcher: kill the whole process tree hard, as a crash or a closed laptop would.
        moat.descendants().forEach(ProcessHandle::destroyForcibly);
        moat.destroyForcibly();
        moat.waitFor();
    }

    @Test
    void aRunRightAfterASigkillRevertsTheKilledRunsChangeFirstAndIsNotRevertedLater() throws Exception {
        tb.execOk("h1", "ufw default allow incoming >/dev/null");
        // A window wide enough that the next run takes the lock before the killed run's guard fires,
        // however busy the machine (a JVM start and a connection can take 6 s under load).
        killDuringFirewallChange(30);
        long killed = System.currentTimeMillis();
        ProcResult r = moat(Map.of(), "apply", playbook("fw2.yml", FIREWALL.replace("443", "8443")).toString(),
                "-i", tb.inventory().toString(), "--limit", "h1");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("was reverted before this run"), r.stdout());
        String after = tb.execOk("h1", FIREWALL_LISTING);
        Thread.sleep(Math.max(0, killed + 32_000 - System.currentTimeMillis())); // past the killed run's guard timeout: nothing may revert this run's firewall now
        assertEquals(after, tb.execOk("h1", FIREWALL_LISTING));
        String status = tb.execOk("h1", "ufw status verbose");
        assertTrue(status.contains("8443/tcp") && !java.util.regex.Pattern.compile("(?m)^443/tcp").matcher(status).find()
                && status.contains("deny (incoming)"), status);
    }

    @Test
    void ctrlCStartsNoNewTaskRollsBackTheHostMidChangeAndExits130() throws Exception {
        tb.execOk("h1", "mkdir -p /opt/moat-e2e; rm -f /run/moat-e2e-sleeping");
        String before = state("h1");
        // The marker (outside the directories compared) says the sleep has begun: Ctrl-C lands inside it
        // however slowly a loaded machine polls.
        Path pb = playbook("interrupted.yml", """
                - hosts: h1
                  tasks:
                    - copy: {dest: /etc/moat-e2e.conf, content: "managed\\n"}
                    - shell: touch /run/moat-e2e-sleeping && sleep 10
                    - copy: {dest: /opt/moat-e2e/app.conf, content: "x\\n"}
                """);
        // As at a terminal: SIGINT at its default. A test run started in the background (`tests/run &`,
        // nohup) ignores SIGINT, every child inherits that, and the JVM keeps an ignored SIGINT ignored.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.addAll(MoatCli.command(List.of("apply", pb.toString(), "-i", tb.inventory().toString())));
        ProcessBuilder b = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(dir.resolve("interrupted.out").toFile());
        b.environment().putAll(env);
        Process moat = b.start();
        long t0 = System.currentTimeMillis();
        while (!tb.exec("h1", "test -f /run/moat-e2e-sleeping").ok()) {
            assertTrue(System.currentTimeMillis() - t0 < 30_000, "the sleep task never began");
            Thread.sleep(200);
        }
        // The launcher execs the JVM, so this is Ctrl-C to moat itself.
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(moat.pid())).start().waitFor());
        assertEquals(130, moat.waitFor(), Files.readString(dir.resolve("interrupted.out")));
        String out = Files.readString(dir.resolve("interrupted.out"));
        assertTrue(out.contains("rolled back") && out.contains("exit 130"), out);
        assertFalse(tb.exec("h1", "test -e /opt/moat-e2e/app.conf").ok(), "no task was started after the Ctrl-C:\n" + out);
        assertEquals(before, state("h1"), "h1 is exactly as it was");
        tb.execOk("h1", "rm -f /run/moat-e2e-sleeping");
    }

    @Test
    void aSecondConcurrentRunIsRefused() throws Exception {
        Path slow = playbook("slow.yml", "- hosts: h1\n  tasks:\n    - shell: sleep 5\n");
        List<String> cmd = MoatCli.command(List.of("apply", slow.toString(), "-i", tb.inventory().toString()));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile());
        b.environment().putAll(env);
        Process first = b.start();
        Thread.sleep(2500);
        ProcResult second = moat(Map.of(), "apply", slow.toString(), "-i", tb.inventory().toString());
        assertEquals(1, second.exitCode(), second.describe());
        assertTrue(second.stdout().contains("another moat run is changing this host"), second.stdout());
        assertEquals(0, first.waitFor(), Files.readString(dir.resolve("first.out")));
    }
}
