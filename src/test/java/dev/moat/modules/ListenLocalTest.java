package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;

class ListenLocalTest {
    final ListenLocal mod = new ListenLocal();

    static String rw(String text) {
        return ListenLocal.rewrite(text, ListenLocal.VARS, "127.0.0.1");
    }

    @Test
    void everyWayOfWritingAllInterfacesBecomesLoopbackKeepingQuotesSchemeAndPort() {
        assertEquals("Environment=\"OLLAMA_HOST=127.0.0.1\"\n", rw("Environment=\"OLLAMA_HOST=0.0.0.0\"\n"));
        assertEquals("Environment=OLLAMA_HOST=127.0.0.1:11434\n", rw("Environment=OLLAMA_HOST=0.0.0.0:11434\n"));
        assertEquals("Environment=\"A=1\" \"OLLAMA_HOST=http://127.0.0.1:11434\"\n", rw("Environment=\"A=1\" \"OLLAMA_HOST=http://0.0.0.0:11434\"\n"));
        assertEquals("OLLAMA_HOST=127.0.0.1:11434\n", rw("OLLAMA_HOST=[::]:11434\n"));
        assertEquals("OLLAMA_HOST=127.0.0.1:11434\n", rw("OLLAMA_HOST=:11434\n"));
        assertEquals("export GRADIO_SERVER_NAME='127.0.0.1'\n", rw("export GRADIO_SERVER_NAME='0.0.0.0'\n"));
        assertEquals("OLLAMA_HOST = 127.0.0.1\n", rw("OLLAMA_HOST = 0.0.0.0\n"));
    }

    @Test
    void loopbackCommentsAndOtherVariablesStayAsTheyAre() {
        for (String t : List.of("OLLAMA_HOST=127.0.0.1:11434\n", "# OLLAMA_HOST=0.0.0.0\n", "MY_OLLAMA_HOSTNAME=0.0.0.0\n",
                "Environment=\"OLLAMA_MODELS=/data\"\n", "OLLAMA_HOST=localhost\n")) {
            assertEquals(t, rw(t), t);
        }
    }

    static String found(boolean systemd, String path, String content, String... units) {
        StringBuilder s = new StringBuilder("@@systemd " + (systemd ? "yes" : "no") + "\n");
        s.append("@@file ").append(path).append("\t644 0 0 root root\n");
        s.append(Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))).append('\n');
        for (String u : units) s.append("@@unit ").append(u).append('\n');
        return s.toString();
    }

    Plan plan(String factOutput) throws Exception {
        ListenLocal.ListenArgs a = LocalHost.bind(mod, Map.of());
        return mod.plan(a, new FakeFacts().put(mod.reads(a).get(0).key(), factOutput), FakeContext.apply());
    }

    @Test
    void anEnvironmentFileIsFixedAndTheUnitsThatReadItRestartedWithAnUndoThatRestartsThemAgain() throws Exception {
        Plan p = plan(found(true, "/etc/ollama/env", "OLLAMA_HOST=0.0.0.0:11434\nOLLAMA_MODELS=/data\n", "ollama.service"));
        assertEquals("OLLAMA_HOST=127.0.0.1:11434\nOLLAMA_MODELS=/data\n", new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
        assertTrue(p.steps().get(1).script().contains("systemctl try-restart ollama.service"), p.steps().get(1).script());
        assertTrue(p.undo().contains(new Undo.RestorePath("/etc/ollama/env")));
        assertTrue(p.undo().contains(new Undo.Reload("ollama.service", true)));
    }

    @Test
    void aUnitsOwnDropInRestartsThatUnitAndWithoutSystemdNothingRestarts() throws Exception {
        Plan p = plan(found(false, "/etc/systemd/system/ollama.service.d/override.conf", "[Service]\nEnvironment=\"OLLAMA_HOST=0.0.0.0\"\n"));
        assertEquals(1, p.steps().size(), p.steps().toString());
        assertEquals("systemd does not run here: ollama.service not restarted", p.result().get("note"));
        assertFalse(plan(found(true, "/etc/default/ollama", "OLLAMA_HOST=127.0.0.1\n")).changes());
    }

    @Test
    void bindMustBeLoopback() {
        assertThrows(ArgException.class, () -> LocalHost.bind(mod, Map.of("bind", "0.0.0.0")));
        assertThrows(ArgException.class, () -> LocalHost.bind(mod, Map.of("vars", List.of("ollama host"))));
    }
}
