package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.transport.Sh;

/**
 * ServiceFact's script against the one it replaced, which ran {@code systemctl} three times and
 * {@code ls} for the boot links: the same lines for every state, in fewer processes.
 */
class ServiceFactScriptTest {
    /** The script before: the reference every answer is compared with. */
    private static String before(String name) {
        return "n=" + Sh.q(name) + "\n"
                + "if [ -d /run/systemd/system ]; then echo manager=systemd\n"
                + "  echo \"load=$(systemctl show -p LoadState --value -- \"$n\" 2>/dev/null)\"\n"
                + "  echo \"active=$(systemctl is-active -- \"$n\" 2>/dev/null)\"\n"
                + "  echo \"enabled=$(systemctl is-enabled -- \"$n\" 2>/dev/null)\"\n"
                + "else echo manager=sysv\n"
                + "  if [ -x \"/etc/init.d/$n\" ]; then echo initscript=yes\n"
                + "    service \"$n\" status >/dev/null 2>&1; echo \"status=$?\"\n"
                + "    if ls /etc/rc[2345].d/S??\"$n\" >/dev/null 2>&1; then echo enabled=yes; else echo enabled=no; fi\n"
                + "  fi\n"
                + "  for f in \"/run/$n.pid\" \"/var/run/$n.pid\"; do if [ -r \"$f\" ]; then"
                + " if kill -0 \"$(cat \"$f\")\" 2>/dev/null; then echo pid=alive; else echo pid=dead; fi; break; fi; done\n"
                + "  if command -v \"$n\" >/dev/null 2>&1; then echo binary=yes; fi\n"
                + "fi; :";
    }

    /**
     * A systemctl that answers show, is-active and is-enabled as systemd does for one unit's
     * state (FAKE_LOAD, FAKE_ACTIVE, FAKE_ENABLED; FAKE_SHOW_FAILS=1: show fails as on a broken bus),
     * and counts its calls.
     */
    private static final String FAKE_SYSTEMCTL = String.join("\n",
            "#!/bin/sh",
            "echo \"$*\" >>\"$FAKE_LOG\"",
            "case $1 in",
            "  show) [ \"${FAKE_SHOW_FAILS:-}\" = 1 ] && { echo 'Failed to connect to bus' >&2; exit 1; }",
            "    shift; v=; props=",
            "    while [ $# -gt 0 ]; do case $1 in -p) props=\"$props $2\"; shift 2;; --value) v=1; shift;; --) shift; break;; *) break;; esac; done",
            // systemd prints properties in its own (interface) order, not the order asked
            "    for p in Id LoadState ActiveState; do case \" $props \" in *\" $p \"*) ;; *) continue;; esac",
            "      case $p in LoadState) x=$FAKE_LOAD;; ActiveState) x=$FAKE_ACTIVE;; Id) x=$1.service;; esac",
            "      if [ -n \"$v\" ]; then echo \"$x\"; else echo \"$p=$x\"; fi; done;;",
            "  is-active) echo \"$FAKE_ACTIVE\"; [ \"$FAKE_ACTIVE\" = active ];;",
            "  is-enabled) [ -n \"$FAKE_ENABLED\" ] && echo \"$FAKE_ENABLED\"; [ \"$FAKE_ENABLED\" = enabled ];;",
            "esac",
            "");

    @Test
    void systemdAnswersAsBeforeWithTwoCallsInsteadOfThree(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("systemctl"), FAKE_SYSTEMCTL);
        bin.resolve("systemctl").toFile().setExecutable(true);
        Path run = Files.createDirectories(dir.resolve("run-systemd-system"));
        List<List<String>> states = List.of(
                List.of("loaded", "active", "enabled", ""),
                List.of("loaded", "inactive", "disabled", ""),
                List.of("loaded", "failed", "static", ""),
                List.of("loaded", "activating", "generated", ""),
                List.of("not-found", "inactive", "", ""),
                List.of("masked", "inactive", "masked", ""),
                List.of("loaded", "active", "enabled", "1"));
        for (List<String> st : states) {
            Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "FAKE_LOAD", st.get(0), "FAKE_ACTIVE", st.get(1),
                    "FAKE_ENABLED", st.get(2), "FAKE_SHOW_FAILS", st.get(3), "FAKE_LOG", dir.resolve("log").toString());
            String old = sh(before("nginx").replace("/run/systemd/system", run.toString()), env);
            int oldCalls = calls(dir);
            String now = sh(new ServiceFact("nginx").script().replace("/run/systemd/system", run.toString()), env);
            int nowCalls = calls(dir);
            assertEquals(old, now, "state " + st);
            assertTrue(now.startsWith("manager=systemd\nload=" + ("1".equals(st.get(3)) ? "" : st.get(0)) + "\nactive=" + st.get(1) + "\n"), now);
            assertEquals(3, oldCalls);
            assertEquals("1".equals(st.get(3)) ? 4 : 2, nowCalls, "show, is-enabled (and the old two where show fails): " + st);
        }
    }

    @Test
    void withoutSystemdTheBootLinksAnswerAsLsDid() throws Exception {
        // This machine has no systemd as PID 1 and init scripts (nginx's, with /etc/rc2.d/S01nginx, where
        // tests/run installs it): each name answers as before, linked, unlinked or unknown.
        assertFalse(Files.isDirectory(Path.of("/run/systemd/system")), "a machine without systemd as PID 1");
        Map<String, String> env = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        int linked = 0;
        // init scripts tests/run's packages install (their status is read-only); absent ones answer "unknown"
        for (String name : List.of("nginx", "ssh", "cron", "dbus", "sudo", "ufw", "docker", "moat-no-such-service")) {
            String now = sh(new ServiceFact(name).script(), env);
            assertEquals(sh(before(name), env), now, name);
            if (now.contains("enabled=yes")) linked++;
        }
        assertTrue(linked > 0, "at least one init script linked in /etc/rc[2-5].d, so both answers were compared");
    }

    private static int calls(Path dir) throws Exception {
        Path log = dir.resolve("log");
        int n = Files.exists(log) ? Files.readAllLines(log).size() : 0;
        Files.deleteIfExists(log);
        return n;
    }

    private static String sh(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(false);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
