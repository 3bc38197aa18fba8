package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * modprobe, timezone, cron and locale_gen on a real host (issue 14): each converges, a rerun changes nothing
 * ({@code moat check} exits 0), and {@code moat rollback last} puts back every file byte for byte.
 * No kernel module is ever loaded: this machine's kernel has no /proc/modules (no loadable
 * modules), so the host is given a modules.builtin naming {@code loop} built in, and a load of
 * any other module is only planned, in check mode.
 */
class HostConfigModulesE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-hostconf");
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

    static void applyConvergeRollback(Path pb, Runnable afterApply) {
        String inv = tb.inventory().toString();
        ProcResult r = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, r.exitCode(), r.describe());
        afterApply.run();
        ProcResult check = moat("check", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, check.exitCode(), "a rerun changes nothing: " + check.describe());
        ProcResult rb = moat("rollback", "last", "-i", inv, "--limit", HOST);
        assertEquals(0, rb.exitCode(), rb.describe());
    }

    @Test
    void modprobePersistsABuiltInModuleWithoutLoadingAnything() throws Exception {
        // Debian's kmod makes both directories; the testbed's hosts have no kmod.
        tb.execOk(HOST, "mkdir -p /etc/modprobe.d /etc/modules-load.d /lib/modules/$(uname -r) && "
                + "printf 'kernel/drivers/block/loop.ko\\n' > /lib/modules/$(uname -r)/modules.builtin");
        String before = tb.checksumListing(HOST, "/etc/modprobe.d", "/etc/modules-load.d").toString();
        Path pb = playbook("modprobe.yml", """
                - hosts: all
                  tasks:
                    - modprobe: {name: loop, state: present, persistent: present, params: "max_loop=8"}
                """);
        applyConvergeRollback(pb, () -> {
            assertEquals("loop\n", tb.execOk(HOST, "cat /etc/modules-load.d/loop.conf"));
            assertEquals("options loop max_loop=8\n", tb.execOk(HOST, "cat /etc/modprobe.d/loop.conf"));
        });
        assertEquals(before, tb.checksumListing(HOST, "/etc/modprobe.d", "/etc/modules-load.d").toString(), "rollback restored both directories");

        // A module that is not loaded: check mode plans the modprobe and runs nothing.
        Path load = playbook("load.yml", """
                - hosts: all
                  tasks:
                    - modprobe: {name: dummy, params: "numdummies=2"}
                """);
        ProcResult check = moat("check", load.toString(), "-i", tb.inventory().toString(), "--limit", HOST, "--json");
        assertEquals(2, check.exitCode(), "a module to load is drift: " + check.describe());
        assertTrue(check.stdout().contains("kernel module dummy"), check.describe());
        assertEquals(before, tb.checksumListing(HOST, "/etc/modprobe.d", "/etc/modules-load.d").toString());
        tb.execOk(HOST, "rm -rf /lib/modules");
    }

    @Test
    void timezoneSetsTheZoneAndRollsBack() throws Exception {
        String before = tb.checksumListing(HOST, "/etc/localtime", "/etc/timezone").toString();
        String zone = tb.execOk(HOST, "readlink /etc/localtime").strip();
        String want = zone.endsWith("/Europe/Paris") ? "Asia/Tokyo" : "Europe/Paris";
        Path pb = playbook("tz.yml", """
                - hosts: all
                  tasks:
                    - timezone: {name: %s}
                """.formatted(want));
        applyConvergeRollback(pb, () -> {
            assertEquals("/usr/share/zoneinfo/" + want + "\n", tb.execOk(HOST, "readlink /etc/localtime"));
            assertEquals(want + "\n", tb.execOk(HOST, "cat /etc/timezone"));
            assertEquals(want.equals("Asia/Tokyo") ? "JST\n" : "CET\n", tb.execOk(HOST, "date -d 2026-01-15 +%Z"));
        });
        assertEquals(before, tb.checksumListing(HOST, "/etc/localtime", "/etc/timezone").toString());
    }

    @Test
    void cronRecognisesAnsiblesMarkersAndRollsBack() throws Exception {
        // A crontab as Ansible wrote it (recorded in ansible-cron.json): moat sees the job as converged.
        tb.execOk(HOST, "printf '#Ansible: clean\\n0 3 * * * /usr/bin/true\\n' | crontab -");
        String spool = "/var/spool/cron/crontabs";
        String before = tb.checksumListing(HOST, spool, "/etc/cron.d").toString();
        Path same = playbook("cron-same.yml", """
                - hosts: all
                  tasks:
                    - cron: {name: clean, minute: "0", hour: "3", job: /usr/bin/true}
                """);
        ProcResult check = moat("check", same.toString(), "-i", tb.inventory().toString(), "--limit", HOST);
        assertEquals(0, check.exitCode(), "Ansible's crontab is recognised: " + check.describe());
        Path pb = playbook("cron.yml", """
                - hosts: all
                  tasks:
                    - cron: {name: clean, minute: "5", hour: "3", job: /usr/bin/true}
                    - cron: {name: PATH, env: true, job: "/usr/bin:/bin"}
                    - cron: {name: ops job, special_time: reboot, job: echo hi, user: deploy, disabled: true}
                    - cron: {name: gpu, cron_file: moat-gpu, user: root, minute: "*/5", job: "nvidia-smi > /dev/null"}
                """);
        applyConvergeRollback(pb, () -> {
            assertEquals("PATH=\"/usr/bin:/bin\"\n#Ansible: clean\n5 3 * * * /usr/bin/true\n", tb.execOk(HOST, "crontab -l"));
            assertEquals("#Ansible: ops job\n#@reboot echo hi\n", tb.execOk(HOST, "crontab -u deploy -l"));
            assertEquals("#Ansible: gpu\n*/5 * * * * root nvidia-smi > /dev/null\n", tb.execOk(HOST, "cat /etc/cron.d/moat-gpu"));
        });
        assertEquals(before, tb.checksumListing(HOST, spool, "/etc/cron.d").toString(), "rollback restored the crontabs and /etc/cron.d");
        tb.execOk(HOST, "crontab -r");
    }

    @Test
    void localeGenGeneratesALocaleAndRollsBack() throws Exception {
        assumeFalse(tb.execOk(HOST, "locale -a").contains("de_CH.utf8"), "de_CH.UTF-8 is already generated on the host");
        String before = tb.checksumListing(HOST, "/etc/locale.gen", "/usr/lib/locale").toString();
        Path pb = playbook("locale.yml", """
                - hosts: all
                  tasks:
                    - locale_gen: {name: de_CH.UTF-8}
                """);
        applyConvergeRollback(pb, () -> {
            assertTrue(tb.execOk(HOST, "locale -a").contains("de_CH.utf8"));
            assertTrue(tb.execOk(HOST, "grep -x 'de_CH.UTF-8 UTF-8' /etc/locale.gen; true").contains("de_CH.UTF-8 UTF-8"));
        });
        assertEquals(before, tb.checksumListing(HOST, "/etc/locale.gen", "/usr/lib/locale").toString());
        assertFalse(tb.execOk(HOST, "locale -a").contains("de_CH.utf8"));
    }
}
