package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's acceptance play on a systemd testbed host ({@code testbed up 1 --systemd}): a signed
 * repository added by {@code deb822_repository} and a package from it, a unit written by
 * {@code copy} and started by {@code systemd}, a persistent {@code modprobe}, a namespaced
 * {@code sysctl}, a user with an {@code authorized_key}, nouveau blacklisted, then a reboot. After
 * it the unit runs, the user logs in with the key, the sysctl holds and the files are there; a rerun
 * changes nothing, {@code moat check} costs one read round trip, and {@code moat rollback last}
 * undoes the rest and names the reboot as what it cannot undo. No kernel module is loaded: this
 * machine's kernel has no /proc/modules, so the host is given a modules.builtin naming {@code loop}.
 */
@Tag("systemd")
class GpuServerE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";
    static final String PKG = "moat-signed-probe";
    static final String USER = "moatgpu";
    static final String UNIT = "moat-gpu-e2e.service";
    static final String[] FILES = {"/etc/apt/sources.list.d", "/etc/apt/keyrings", "/etc/systemd/system", "/etc/modules-load.d",
        "/etc/modprobe.d", "/etc/sysctl.d", "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"};
    static boolean madeModulesDir;
    static String liveForward;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.systemd(), "testbed hosts do not run systemd (up --systemd)");
        dir = Files.createTempDirectory("moat-gpuserver");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        // Debian's kmod makes these directories; the testbed's hosts have no kmod. modprobe finds loop
        // built in (there is no /proc/modules to read) and loads nothing.
        liveForward = tb.execOk(HOST, "sysctl -n net.ipv4.ip_forward").strip();
        madeModulesDir = !tb.exec(HOST, "test -e /lib/modules/$(uname -r)").ok();
        tb.execOk(HOST, "mkdir -p /etc/modprobe.d /etc/modules-load.d /lib/modules/$(uname -r) && "
                + "printf 'kernel/drivers/block/loop.ko\\n' > /lib/modules/$(uname -r)/modules.builtin");
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || !tb.systemd()) return;
        tb.exec(HOST, "systemctl disable --now " + UNIT + " 2>/dev/null; rm -f /etc/systemd/system/" + UNIT + "; systemctl daemon-reload; "
                + "loginctl terminate-user " + USER + " 2>/dev/null; userdel -r " + USER + " 2>/dev/null; dpkg --purge " + PKG + " >/dev/null 2>&1; "
                + "rm -f /etc/apt/sources.list.d/moat-* /etc/apt/keyrings/moat-* /var/lib/apt/lists/*:3143_* "
                + "/etc/modules-load.d/loop.conf /etc/modprobe.d/blacklist-ansible.conf /etc/sysctl.d/90-moat-gpu.conf"
                + "; sysctl -q -w net.ipv4.ip_forward=" + liveForward
                + (madeModulesDir ? "; rm -rf /lib/modules/$(uname -r)" : "; rm -f /lib/modules/$(uname -r)/modules.builtin"));
    }

    static ProcResult moat(Map<String, String> e, String... args) {
        return MoatCli.run(null, e, Duration.ofMinutes(8), args);
    }

    static String bootId() {
        return tb.execOk(HOST, "cat /proc/sys/kernel/random/boot_id").strip();
    }

    /** ssh to HOST as {@code user} with the private key {@code key} instead of the testbed's. */
    static ProcResult sshAs(String user, Path key, String cmd) {
        List<String> c = new ArrayList<>();
        for (String a : tb.sshCommand(HOST, user)) c.add(a.startsWith("IdentityFile=") ? "IdentityFile=" + key : a);
        c.add("--");
        c.add(cmd);
        return Procs.run(c, null, Map.of(), null, Duration.ofMinutes(1));
    }

    static long readScripts(Path dump) throws Exception {
        if (!Files.isDirectory(dump)) return 0;
        try (Stream<Path> s = Files.list(dump)) {
            return s.filter(p -> p.getFileName().toString().matches(HOST + "\\.\\d+\\.sh")).count();
        }
    }

    @Test
    void theGpuServerPlayConvergesAcrossARebootAndRollsBackAllButTheReboot() throws Exception {
        String inv = tb.inventory().toString();
        String url = tb.signedAptUrl();
        Path key = dir.resolve("moatgpu_ed25519");
        assertEquals(0, Procs.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "moatgpu@e2e", "-f", key.toString()),
                null, Map.of(), null, Duration.ofMinutes(1)).exitCode());
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        String live = liveForward;
        String want = live.equals("1") ? "0" : "1";
        String files = tb.checksumListing(HOST, FILES).toString();
        String bootBefore = bootId();
        assertFalse(sshAs(USER, key, "true").ok(), "no " + USER + " login before the run");

        Path pb = dir.resolve("gpu-server.yml");
        Files.writeString(pb, """
                - hosts: %s
                  gather_facts: false
                  tasks:
                    - name: the signed repository
                      deb822_repository: {name: moat-signed, types: deb, uris: "%s", suites: ./, signed_by: "%s/key.asc"}
                    - name: the package from it
                      apt: {name: %s, update_cache: true}
                    - name: the unit
                      copy:
                        dest: /etc/systemd/system/%s
                        content: |
                          [Unit]
                          Description=moat gpu e2e
                          [Service]
                          ExecStart=/bin/sleep infinity
                          [Install]
                          WantedBy=multi-user.target
                    - name: the unit runs
                      systemd: {name: %s, daemon_reload: true, state: started, enabled: true}
                    - name: loop at boot
                      modprobe: {name: loop, persistent: present}
                    - name: forwarding
                      sysctl: {name: net.ipv4.ip_forward, value: "%s", sysctl_file: /etc/sysctl.d/90-moat-gpu.conf, sysctl_set: true}
                    - name: the operator
                      user: {name: %s, shell: /bin/sh}
                    - name: the operator's key
                      authorized_key: {user: %s, key: "%s"}
                    - name: no nouveau
                      kernel_blacklist: {name: nouveau}
                    - name: reboot into the new driver
                      reboot: {msg: "moat gpu e2e", reboot_timeout: 240}
                """.formatted(HOST, url, url, PKG, UNIT, UNIT, want, USER, USER, pub));

        ProcResult r = moat(env, "apply", pb.toString(), "-i", inv);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("changed: [" + HOST + "] reboot into the new driver"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*rebooted in \\d+ s \\(new boot id\\), reconnected.*"), r.stdout());
        assertNotEquals(bootBefore, bootId(), "the host rebooted");

        // After the reboot: the unit came up by itself, the key logs in, the sysctl and the files hold.
        assertEquals("active\n", tb.execOk(HOST, "systemctl is-active " + UNIT));
        assertEquals("enabled\n", tb.execOk(HOST, "systemctl is-enabled " + UNIT));
        assertEquals(USER + "\n", sshAs(USER, key, "id -un").stdout(), "the new user logs in with the generated key");
        assertEquals(want, tb.execOk(HOST, "sysctl -n net.ipv4.ip_forward").strip());
        assertEquals("net.ipv4.ip_forward=" + want + "\n", tb.execOk(HOST, "cat /etc/sysctl.d/90-moat-gpu.conf"));
        assertEquals("loop\n", tb.execOk(HOST, "cat /etc/modules-load.d/loop.conf"));
        assertEquals("blacklist nouveau\n", tb.execOk(HOST, "cat /etc/modprobe.d/blacklist-ansible.conf"));
        assertEquals("install ok installed", tb.execOk(HOST, "dpkg-query -W -f='${Status}' " + PKG));
        assertTrue(tb.execOk(HOST, "cat /etc/apt/sources.list.d/moat-signed.sources").contains("Signed-By: /etc/apt/keyrings/moat-signed.asc"));

        // A rerun changes nothing but the reboot (a reboot task always reboots, as Ansible's does) ...
        String bootFirst = bootId();
        ProcResult rerun = moat(env, "apply", pb.toString(), "-i", inv);
        assertEquals(0, rerun.exitCode(), rerun.describe());
        assertTrue(rerun.stdout().contains("changed: [" + HOST + "] reboot into the new driver"), rerun.stdout());
        assertTrue(rerun.stdout().matches("(?s).*\\n" + HOST + " +: ok=\\d+ +changed=1 +unreachable=0 +failed=0 .*"), "only the reboot changed: " + rerun.stdout());
        assertNotEquals(bootFirst, bootId());
        assertEquals("active\n", tb.execOk(HOST, "systemctl is-active " + UNIT), "the unit came up after the second boot too");

        // ... and moat check of the play without the reboot exits 0 with one read script sent to the host.
        Path again = dir.resolve("gpu-server-noreboot.yml");
        String converge = Files.readString(pb);
        Files.writeString(again, converge.substring(0, converge.indexOf("    - name: reboot into the new driver")));
        Path dump = dir.resolve("reads");
        Map<String, String> dumpEnv = Map.of("MOAT_HOME", env.get("MOAT_HOME"), "MOAT_READ_DUMP", dump.toString());
        ProcResult check = moat(dumpEnv, "check", again.toString(), "-i", inv);
        assertEquals(0, check.exitCode(), "no drift: " + check.describe());
        assertEquals(1, readScripts(dump), "one read round trip for the converged play");

        // Rollback restores the files, accounts, package, unit and sysctl; the reboot it names and leaves.
        String bootAfter = bootId();
        ProcResult back = moat(env, "rollback", "last", "-i", inv, "--force");
        assertEquals(0, back.exitCode(), back.describe());
        assertTrue(back.stdout().matches("(?s).*cannot be undone, left as they are: .*reboot of the host \\(moat gpu e2e\\).*"), back.stdout());
        assertEquals(bootAfter, bootId(), "a rollback never reboots");
        assertEquals(files, tb.checksumListing(HOST, FILES).toString(), "rollback restored the files and accounts byte for byte");
        assertFalse(tb.exec(HOST, "systemctl is-active --quiet " + UNIT).ok(), "rollback stopped the unit");
        assertFalse(tb.exec(HOST, "dpkg-query -W -f='${Status}' " + PKG + " 2>/dev/null | grep -q 'ok installed'").ok(), "rollback removed " + PKG);
        assertEquals(live, tb.execOk(HOST, "sysctl -n net.ipv4.ip_forward").strip(), "rollback put the live sysctl back");
        assertFalse(sshAs(USER, key, "true").ok(), "the user is gone");
    }
}
