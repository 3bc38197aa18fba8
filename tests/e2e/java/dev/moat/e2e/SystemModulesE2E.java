package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The system modules on real hosts (issue 14): each converges, a rerun changes nothing
 * ({@code moat check} exits 0), and {@code moat rollback last} puts back every file, account,
 * live sysctl, host name and unit it changed. Only namespaced kernel state is touched
 * ({@code net.ipv4.ip_forward} inside a testbed host); the {@code systemd} test runs only on hosts
 * with systemd as PID 1 ({@code testbed up --systemd}) and skips with a message elsewhere.
 */
class SystemModulesE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-sysmod");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static Path playbook(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    /** Applies, checks that a rerun is converged, and rolls back; returns the apply's result. */
    static ProcResult applyConvergeRollback(Path pb, Runnable afterApply) {
        String inv = tb.inventory().toString();
        ProcResult r = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, r.exitCode(), r.describe());
        afterApply.run();
        ProcResult check = moat("check", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, check.exitCode(), "a rerun changes nothing: " + check.describe());
        ProcResult rb = moat("rollback", "last", "-i", inv, "--limit", HOST);
        assertEquals(0, rb.exitCode(), rb.describe());
        return r;
    }

    static String accounts() {
        return tb.checksumListing(HOST, "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/subuid", "/etc/subgid").toString()
                + tb.execOk(HOST, "ls -d /home/moatops 2>/dev/null; true");
    }

    @Test
    void aUserWithAGroupAndAKeyLogsInAndRollsBack() throws Exception {
        String before = accounts();
        String pub = Files.readString(Path.of(tb.key() + ".pub")).strip();
        Path pb = playbook("user.yml", """
                - hosts: all
                  tasks:
                    - group: {name: moatgpu, gid: 2345}
                    - user: {name: moatops, groups: [moatgpu], shell: /bin/sh, password: "$6$moatsalt$Qx0d0O0xZc2oQ0w0y0C8pQ1b6G2tGm0aVv0rJf5kqzQmZ6y2nH3s1u0p5o4i3u2y1t0r9e8w7q6a5s4d3f2g1h"}
                    - authorized_key: {user: moatops, key: "%s"}
                """.formatted(pub));
        applyConvergeRollback(pb, () -> {
            assertEquals("ok\n", tb.exec(HOST, "moatops", "echo ok", null).stdout(), "the new user logs in with the key");
            assertTrue(tb.execOk(HOST, "id -nG moatops").contains("moatgpu"));
            assertEquals("700 600\n", tb.execOk(HOST, "stat -c %a /home/moatops/.ssh | tr '\\n' ' '; stat -c %a /home/moatops/.ssh/authorized_keys"));
        });
        assertEquals(before, accounts(), "rollback restored the account files byte for byte and removed the home");
    }

    @Test
    void aNamespacedSysctlHoldsAndRollsBack() throws Exception {
        String live = tb.execOk(HOST, "sysctl -n net.ipv4.ip_forward").strip();
        String want = live.equals("1") ? "0" : "1";
        Path pb = playbook("sysctl.yml", """
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.ip_forward, value: "%s", sysctl_file: /etc/sysctl.d/90-moat-e2e.conf, sysctl_set: true}
                """.formatted(want));
        applyConvergeRollback(pb, () -> {
            assertEquals(want, tb.execOk(HOST, "sysctl -n net.ipv4.ip_forward").strip());
            assertEquals("net.ipv4.ip_forward=" + want + "\n", tb.execOk(HOST, "cat /etc/sysctl.d/90-moat-e2e.conf"));
        });
        assertEquals(live, tb.execOk(HOST, "sysctl -n net.ipv4.ip_forward").strip());
        assertFalse(tb.exec(HOST, "test -e /etc/sysctl.d/90-moat-e2e.conf").ok());
    }

    @Test
    void hostnameAndBlacklistRollBack() throws Exception {
        String name = tb.execOk(HOST, "hostname").strip();
        assumeTrue(!name.equals(java.net.InetAddress.getLocalHost().getHostName()),
                "the test host shares this machine's host name (UTS namespace): not changing it");
        // Debian's kmod makes /etc/modprobe.d; the testbed's hosts have no kmod (kernel_blacklist, as Ansible's, needs the directory).
        tb.execOk(HOST, "mkdir -p /etc/modprobe.d");
        String etc = tb.checksumListing(HOST, "/etc/hostname", "/etc/modprobe.d").toString();
        Path pb = playbook("hostname.yml", """
                - hosts: all
                  tasks:
                    - hostname: {name: moat-e2e-renamed}
                    - kernel_blacklist: {name: nouveau, blacklist_file: /etc/modprobe.d/blacklist-nouveau.conf}
                """);
        applyConvergeRollback(pb, () -> {
            assertEquals("moat-e2e-renamed\n", tb.execOk(HOST, "hostname"));
            assertEquals("blacklist nouveau\n", tb.execOk(HOST, "cat /etc/modprobe.d/blacklist-nouveau.conf"));
        });
        assertEquals(name, tb.execOk(HOST, "hostname").strip());
        assertEquals(etc, tb.checksumListing(HOST, "/etc/hostname", "/etc/modprobe.d").toString());
    }

    @Test
    @org.junit.jupiter.api.Tag("systemd")
    void aUnitWrittenByCopyStartsEnabledAndRollsBack() throws Exception {
        assumeTrue(tb.exec(HOST, "test -d /run/systemd/system").ok(),
                "the testbed hosts do not run systemd as PID 1 (start them with `testbed up --systemd`): skipping the systemd test");
        Path pb = playbook("unit.yml", """
                - hosts: all
                  tasks:
                    - copy:
                        dest: /etc/systemd/system/moat-e2e.service
                        content: |
                          [Unit]
                          Description=moat e2e
                          [Service]
                          ExecStart=/bin/sleep infinity
                          [Install]
                          WantedBy=multi-user.target
                    - systemd: {name: moat-e2e.service, daemon_reload: true, state: started, enabled: true}
                """);
        applyConvergeRollback(pb, () -> {
            assertEquals("active\n", tb.execOk(HOST, "systemctl is-active moat-e2e.service"));
            assertEquals("enabled\n", tb.execOk(HOST, "systemctl is-enabled moat-e2e.service"));
        });
        assertFalse(tb.exec(HOST, "systemctl is-active --quiet moat-e2e.service").ok(), "rollback stopped the unit");
        assertFalse(tb.exec(HOST, "test -e /etc/systemd/system/moat-e2e.service").ok(), "and removed its file");
        assertFalse(tb.exec(HOST, "test -e /etc/systemd/system/multi-user.target.wants/moat-e2e.service").ok(), "and its enablement");
    }
}
