package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/** {@code get_url}: decisions from fixtures, and real downloads from a loopback HTTP server with curl, wget and python3. */
class GetUrlTest {
    private final GetUrl getUrl = new GetUrl();
    private static final String BODY = "key material\n";
    private static final String SHA256 = FileFact.sha256(BODY.getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;
    HttpServer server;
    String base;
    volatile String seenAuth;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seenAuth = ex.getRequestHeaders().getFirst("Authorization");
            String p = ex.getRequestURI().getPath();
            byte[] body = p.equals("/key.asc") ? BODY.getBytes(StandardCharsets.UTF_8)
                    : p.equals("/SHA256SUMS") ? (SHA256 + "  other.bin\n" + SHA256 + " *key.asc\n").getBytes(StandardCharsets.UTF_8) : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FakeFacts fixture(String destHeader, String digest) {
        return new FakeFacts().put("file:/etc/k", destHeader).put("file:/etc/k/key.asc", "absent\n")
                .put("file:/etc", "directory 755 0 0 0 root root\n").put("cmd:download-tool", "curl\n")
                .put("digest+sha256:/etc/k", digest).put("digest+sha256:/etc/k/key.asc", "");
    }

    @Test
    void decisions() throws Exception {
        GetUrl.GetUrlArgs plain = LocalHost.bind(getUrl, Map.of("url", "https://x/key.asc", "dest", "/etc/k"));
        Plan absent = getUrl.plan(plain, fixture("absent\n", ""), FakeContext.apply());
        assertEquals(1, absent.steps().size());
        assertEquals(List.of(new Undo.RestorePath("/etc/k")), absent.undo());
        assertFalse(getUrl.plan(plain, fixture("file 644 0 0 3 root root\nold", ""), FakeContext.apply()).changes(),
                "force: false keeps an existing file");
        GetUrl.GetUrlArgs sum = LocalHost.bind(getUrl, Map.of("url", "https://x/key.asc", "dest", "/etc/k", "checksum", "sha256:" + SHA256));
        assertFalse(getUrl.plan(sum, fixture("file 644 0 0 3 root root\nold", SHA256 + "\n"), FakeContext.apply()).changes());
        Plan mismatch = getUrl.plan(sum, fixture("file 644 0 0 3 root root\nold", "abc\n"), FakeContext.apply());
        assertTrue(mismatch.steps().get(0).script().contains("did not match"), "a wrong file is downloaded again and checked");
        GetUrl.GetUrlArgs mode = LocalHost.bind(getUrl, Map.of("url", "https://x/key.asc", "dest", "/etc/k", "mode", "0600"));
        Plan chmod = getUrl.plan(mode, fixture("file 644 0 0 3 root root\nold", ""), FakeContext.apply());
        assertEquals("file already exists but file attributes changed", chmod.result().get("msg"));
        assertTrue(chmod.steps().get(0).script().startsWith("chmod"));
        FakeFacts none = fixture("absent\n", "").put("cmd:download-tool", "\n");
        assertEquals("get_url needs curl, wget or python3 on the host; it has none of them",
                assertThrows(TaskException.class, () -> getUrl.plan(plain, none, FakeContext.apply())).getMessage());
    }

    @Test
    void argumentsAndSecrets() throws Exception {
        assertEquals("checksum", assertThrows(ArgException.class,
                () -> LocalHost.bind(getUrl, Map.of("url", "https://x/a", "dest", "/a", "checksum", "deadbeef"))).arg());
        assertEquals("checksum", assertThrows(ArgException.class,
                () -> LocalHost.bind(getUrl, Map.of("url", "https://x/a", "dest", "/a", "checksum", "crc:00"))).arg());
        assertEquals("url", assertThrows(ArgException.class, () -> LocalHost.bind(getUrl, Map.of("url", "/etc/passwd", "dest", "/a"))).arg());
        GetUrl.GetUrlArgs a = LocalHost.bind(getUrl, Map.of("url", "https://x/a", "dest", "/a", "url_username", "u", "url_password", "hunter2"));
        Plan p = getUrl.plan(a, new FakeFacts().put("file:/a", "absent\n").put("file:/a/a", "absent\n").put("file:/", "directory 755 0 0 0 root root\n")
                .put("cmd:download-tool", "wget\n"), FakeContext.apply());
        assertFalse(p.steps().get(0).script().contains("hunter2"), "the password travels on stdin only");
        assertTrue(p.steps().get(0).sensitive());
        assertFalse(a.toString().contains("hunter2"));
        assertEquals("key.asc", GetUrl.urlFilename("https://h/a/key.asc?x=1"));
        assertEquals("index.html", GetUrl.urlFilename("https://h/"));
    }

    @Test
    void downloadsWithEachTool() throws Exception {
        for (String tool : List.of("curl", "wget", "python3")) {
            Path dest = dir.resolve(tool + ".asc");
            GetUrl.GetUrlArgs a = LocalHost.bind(getUrl, Map.of("url", base + "/key.asc", "dest", dest.toString(),
                    "checksum", "sha256:" + SHA256, "mode", "0640", "url_username", "u", "url_password", "p:\"w"));
            String script = GetUrl.script(a, dest.toString(), tool, SHA256, FileState.absent(dest.toString()));
            FactOutput r = LocalHost.sh(script, "u\np:\"w\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, r.rc(), tool + ": " + r.errText());
            assertEquals(BODY, Files.readString(dest), tool);
            assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("u:p:\"w".getBytes(StandardCharsets.UTF_8)), seenAuth, tool);
            assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        }
    }

    @Test
    void convergesForReal() throws Exception {
        Path dest = dir.resolve("key.asc");
        Map<String, Object> args = new HashMap<>(Map.of("url", base + "/key.asc", "dest", dir.toString(), "checksum", "sha256:" + base + "/SHA256SUMS"));
        LocalHost.converge(getUrl, args, FakeContext.apply());
        assertEquals(BODY, Files.readString(dest), "a dest directory takes the URL's file name");
        Files.writeString(dest, "tampered\n");
        LocalHost.converge(getUrl, args, FakeContext.apply());
        assertEquals(BODY, Files.readString(dest), "a file whose checksum differs is fetched again");
        Map<String, Object> forced = Map.of("url", base + "/key.asc", "dest", dest.toString(), "force", true);
        assertFalse(LocalHost.plan(getUrl, LocalHost.bind(getUrl, forced), FakeContext.apply()).changes(),
                "force: true with the same content changes nothing");
        GetUrl.GetUrlArgs bad = LocalHost.bind(getUrl, Map.of("url", base + "/key.asc", "dest", dir.resolve("x").toString(), "checksum", "sha256:00"));
        FactOutput r = LocalHost.execute(LocalHost.plan(getUrl, bad, FakeContext.apply()));
        assertNotNull(r);
        assertTrue(r.errText().contains("did not match 00; it was " + SHA256), r.errText());
        assertFalse(Files.exists(dir.resolve("x")), "a download that fails its check is never put in place");
        GetUrl.GetUrlArgs missing = LocalHost.bind(getUrl, Map.of("url", base + "/nope", "dest", dir.resolve("y").toString()));
        assertTrue(LocalHost.execute(LocalHost.plan(getUrl, missing, FakeContext.apply())).errText().contains("cannot download"));
    }
}
