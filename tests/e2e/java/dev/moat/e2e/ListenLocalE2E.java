package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 on a systemd host: {@code listen_local} moves a unit's {@code OLLAMA_HOST} from
 * 0.0.0.0 to loopback and restarts the unit, so the listener it runs answers only inside; a
 * rollback puts the unit file back byte for byte and restarts it onto 0.0.0.0 again. The listener
 * is a small Python HTTP server that binds where {@code OLLAMA_HOST} says, as {@code ollama serve} does.
 */
@Tag("systemd")
class ListenLocalE2E {
    static final String UNIT = "/etc/systemd/system/fake-ollama.service";
    static final int PORT = 11434;
    static Testbed tb;
    static TestHost h;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.systemd(), "testbed hosts do not run systemd (up --systemd)");
        assumeTrue(!tb.docker(), "the fake AI services of --docker already listen on " + PORT);
        h = tb.hosts().get(0);
        dir = Files.createTempDirectory("moat-listen");
        tb.put(h.name(), """
                #!/usr/bin/python3
                # Binds where OLLAMA_HOST says (host:port), as ollama serve does.
                import http.server, os
                host, _, port = os.environ.get("OLLAMA_HOST", "127.0.0.1:11434").rpartition(":")
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200); self.end_headers(); self.wfile.write(b"Ollama is running")
                http.server.HTTPServer((host, int(port)), H).serve_forever()
                """, "/usr/local/bin/fake-ollama");
        tb.put(h.name(), "[Unit]\nDescription=fake ollama\n\n[Service]\nEnvironment=\"OLLAMA_HOST=0.0.0.0:" + PORT
                + "\"\nExecStart=/usr/local/bin/fake-ollama\n\n[Install]\nWantedBy=multi-user.target\n", UNIT);
        tb.execOk(h.name(), "chmod 0755 /usr/local/bin/fake-ollama && systemctl daemon-reload && systemctl start fake-ollama"
                + " && for i in $(seq 50); do ss -Hltn 'sport = :" + PORT + "' | grep -q . && break; sleep 0.2; done");
    }

    @AfterAll
    static void tearDown() {
        if (h == null) return;
        tb.exec(h.name(), "systemctl stop fake-ollama; rm -f " + UNIT + " /usr/local/bin/fake-ollama; systemctl daemon-reload");
    }

    static String mainPid() {
        return tb.execOk(h.name(), "systemctl show -p MainPID --value fake-ollama").strip();
    }

    @Test
    void theUnitIsMovedToLoopbackAndRestartedAndRollbackRestartsItOntoAllInterfaces() throws Exception {
        String unitBefore = tb.execOk(h.name(), "sha256sum " + UNIT);
        String pidBefore = mainPid();
        assertEquals("200", Curl.status(h.address(), PORT), "reachable from outside before");

        Path play = dir.resolve("listen.yml");
        Files.writeString(play, "- hosts: " + h.name() + "\n  gather_facts: false\n  tasks:\n    - name: AI servers on loopback\n      listen_local: {}\n");
        Map<String, String> env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        ProcResult r = MoatCli.run(null, env, Duration.ofMinutes(3), "apply", play.toString(), "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("changed: [" + h.name() + "] AI servers on loopback"), r.stdout());
        assertTrue(tb.execOk(h.name(), "cat " + UNIT).contains("Environment=\"OLLAMA_HOST=127.0.0.1:" + PORT + "\""));
        assertNotEquals(pidBefore, mainPid(), "the unit was restarted");
        assertEquals("active\n", tb.execOk(h.name(), "systemctl is-active fake-ollama"));
        assertEquals("none", Curl.status(h.address(), PORT), "not reachable from outside after");
        assertEquals("Ollama is running", tb.execOk(h.name(), "curl -s -m 5 http://127.0.0.1:" + PORT + "/"), "still answers inside");
        assertEquals("127.0.0.1:" + PORT, tb.execOk(h.name(), "ss -Hltn 'sport = :" + PORT + "' | awk '{print $4}'").strip());

        ProcResult again = MoatCli.run(null, env, Duration.ofMinutes(3), "check", play.toString(), "-i", tb.inventory().toString());
        assertEquals(0, again.exitCode(), "in sync after: " + again.describe());

        String pidAfter = mainPid();
        ProcResult back = MoatCli.run(null, env, Duration.ofMinutes(3), "rollback", "last", "-i", tb.inventory().toString());
        assertEquals(0, back.exitCode(), back.describe());
        assertEquals(unitBefore, tb.execOk(h.name(), "sha256sum " + UNIT), "the unit file back byte for byte");
        assertNotEquals(pidAfter, mainPid(), "restarted again by the rollback");
        tb.execOk(h.name(), "for i in $(seq 50); do ss -Hltn 'sport = :" + PORT + "' | grep -q 0.0.0.0 && break; sleep 0.2; done");
        assertEquals("200", Curl.status(h.address(), PORT), "reachable from outside again after the rollback");
    }
}
