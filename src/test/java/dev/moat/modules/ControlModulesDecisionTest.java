package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/** The decisions of fail, pause, wait_for, getent and slurp, from fixtures, with no host. */
class ControlModulesDecisionTest {
    private static <A> A bind(dev.moat.module.Module<A> m, Map<String, ?> raw) throws ArgException {
        return m.bind(Args.check(m.spec(), raw));
    }

    @Test
    void getentSplitsOnColonForPasswdAndWhitespaceElseAndListsRepeatedKeys() throws Exception {
        Getent g = new Getent();
        Plan p = Getent.decide(bind(g, Map.of("database", "passwd", "key", "root")), 0, "root:x:0:0:root:/root:/bin/bash\n");
        assertEquals(Map.of("getent_passwd", Map.of("root", List.of("x", "0", "0", "root", "/root", "/bin/bash"))), p.result().get("ansible_facts"));
        p = Getent.decide(bind(g, Map.of("database", "services")), 0, "ssh  22/tcp\nssh   22/udp\nhttp 80/tcp\n");
        assertEquals(Map.of("getent_services", Map.of("ssh", List.of(List.of("22/tcp"), List.of("22/udp")), "http", List.of("80/tcp"))),
                p.result().get("ansible_facts"));
        assertEquals("One or more supplied key could not be found in the database.",
                assertThrows(TaskException.class, () -> Getent.decide(bind(g, Map.of("database", "passwd", "key", "nobody-x")), 2, "")).getMessage());
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("nobody-x", null);
        assertEquals(Map.of("getent_passwd", none),
                Getent.decide(bind(g, Map.of("database", "passwd", "key", "nobody-x", "fail_key", false)), 2, "").result().get("ansible_facts"));
        assertThrows(ArgException.class, () -> bind(g, Map.of("database", "passwd; rm -rf /")));
    }

    @Test
    void waitForJudgesEachLook() throws Exception {
        WaitFor w = new WaitFor();
        WaitFor.WaitArgs port = bind(w, Map.of("port", 8000));
        assertTrue(WaitFor.reached(port, new WaitFor.Look("open", false, null), new LinkedHashMap<>()));
        assertFalse(WaitFor.reached(port, new WaitFor.Look("closed", false, null), new LinkedHashMap<>()));
        assertTrue(WaitFor.reached(bind(w, Map.of("port", 8000, "state", "stopped")), new WaitFor.Look("closed", false, null), new LinkedHashMap<>()));
        assertFalse(WaitFor.reached(bind(w, Map.of("port", 8000, "state", "drained")), new WaitFor.Look("2", false, null), new LinkedHashMap<>()));
        Map<String, Object> r = new LinkedHashMap<>();
        assertTrue(WaitFor.reached(bind(w, Map.of("path", "/log", "search_regex", "port (?P<port>\\d+)")), new WaitFor.Look(null, true, "up on port 8000\n"), r));
        assertEquals(List.of("8000"), r.get("match_groups"));
        assertEquals(Map.of("port", "8000"), r.get("match_groupdict"));
        assertFalse(WaitFor.reached(bind(w, Map.of("path", "/log", "state", "absent")), new WaitFor.Look(null, true, ""), new LinkedHashMap<>()));
        assertEquals("Timeout when waiting for 127.0.0.1:8000 to stop.", WaitFor.timeoutMessage(bind(w, Map.of("port", 8000, "state", "stopped"))));
        assertEquals("state=stopped should only be used for checking a port in the wait_for module",
                assertThrows(ArgException.class, () -> bind(w, Map.of("path", "/x", "state", "stopped"))).getMessage().replaceFirst("^.*?state=", "state="));
        assertThrows(ArgException.class, () -> bind(w, Map.of("port", 1, "path", "/x")));
        assertEquals(7.0, w.delay(bind(w, Map.of("timeout", 5, "delay", 2))), "neither port nor path: the whole timeout is the wait");
    }

    @Test
    void slurpRefusesWhatItCannotOrWillNotRead() {
        assertEquals("file not found: /x", Slurp.problem("missing", "/x"));
        assertTrue(Slurp.problem("big 5000000", "/x").contains("/x is 5000000 bytes; moat slurps files up to 1048576 bytes"));
    }

    @Test
    void pauseWithAPromptNeedsATerminal() throws Exception {
        Pause noTty = new Pause(null);
        Pause.PauseArgs a = bind(noTty, Map.of("prompt", "go on?"));
        TaskException e = assertThrows(TaskException.class, () -> noTty.plan(a, null, ctx()));
        assertTrue(e.getMessage().startsWith("pause: waiting for the operator needs a terminal"), e.getMessage());
        Pause tty = new Pause((prompt, echo) -> "yes");
        assertEquals("yes", tty.plan(bind(tty, Map.of("prompt", "go on?")), null, ctx()).result().get("user_input"));
        assertEquals(60.0, bind(tty, Map.of("minutes", "1")).seconds());
    }

    @Test
    void failFailsWithItsMessage() throws Exception {
        Fail f = new Fail();
        assertEquals("Failed as requested from task", assertThrows(TaskException.class, () -> f.plan(bind(f, Map.of()), null, ctx())).getMessage());
        assertEquals("stop", assertThrows(TaskException.class, () -> f.plan(bind(f, Map.of("msg", "stop")), null, ctx())).getMessage());
    }

    private static dev.moat.module.PlanContext ctx() {
        return new dev.moat.module.PlanContext() {
            @Override public String host() { return "h1"; }
            @Override public boolean check() { return false; }
            @Override public java.nio.file.Path localPath(String path, String subdir) { return null; }
            @Override public String render(String template) { return template; }
            @Override public Object eval(String expression) { return null; }
            @Override public Map<String, Object> vars() { return Map.of(); }
        };
    }
}
