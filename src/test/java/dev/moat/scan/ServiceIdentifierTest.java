package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceIdentifierTest {
    private static String identify(int port) {
        return ServiceIdentifier.identify(port, path -> HttpProbe.get(TestServers.LOOPBACK, port, "127.0.0.1", path, Duration.ofSeconds(2)));
    }

    @Test
    void namesTheAiServicesByTheirUnauthenticatedEndpoints() throws Exception {
        try (TestServers s = new TestServers()) {
            int vllm = s.http(Map.of("/v1/models", "{\"object\": \"list\", \"data\": [{\"id\": \"m\"}]}"), "uvicorn");
            int ollama = s.http(Map.of("/api/tags", "{\"models\": []}", "/api/version", "{\"version\": \"0.5.1\"}"), null);
            int comfy = s.http(Map.of("/system_stats", "{\"system\": {\"os\": \"posix\"}, \"devices\": []}"), null);
            int gradio = s.http(Map.of("/", "<html>", "/config", "{\"version\": \"4\", \"components\": []}"), null);
            int tensorboard = s.http(Map.of("/data/logdir", "{\"logdir\": \"/runs\"}"), null);
            assertTrue(identify(vllm).startsWith("OpenAI-compatible API"), identify(vllm));
            assertTrue(identify(ollama).startsWith("Ollama"), identify(ollama));
            assertTrue(identify(comfy).startsWith("ComfyUI"), identify(comfy));
            assertTrue(identify(gradio).startsWith("Gradio"), identify(gradio));
            assertTrue(identify(tensorboard).startsWith("TensorBoard"), identify(tensorboard));
        }
    }

    @Test
    void otherwiseSaysWhatAnsweredOrThatItIsNotHttp() throws Exception {
        try (TestServers s = new TestServers()) {
            int web = s.http(Map.of("/", "<html>hello</html>"), "nginx/1.22.1");
            int ssh = s.notHttp();
            assertEquals("open; HTTP 200 'Server: nginx/1.22.1' on /", identify(web));
            assertEquals("open; not HTTP", identify(ssh));
        }
    }

    @Test
    void aFlakyEndpointDoesNotHideTheNextOne() {
        String r = ServiceIdentifier.identify(11434, path -> {
            if (path.equals("/")) return new HttpReply(404, Map.of(), "");
            if (path.equals("/api/tags")) throw new java.net.SocketTimeoutException("slow");
            if (path.equals("/api/version")) return new HttpReply(200, Map.of(), "{\"version\":\"0.3\"}");
            return new HttpReply(404, Map.of(), "");
        });
        assertTrue(r.startsWith("Ollama: /api/version"), r);
    }

    @Test
    void aTarpitIsGivenUpAfterTwoSilentEndpoints() {
        int[] asked = {0};
        String r = ServiceIdentifier.identify(8000, path -> {
            asked[0]++;
            if (path.equals("/")) return new HttpReply(200, Map.of(), "hi");
            throw new java.net.SocketTimeoutException("slow");
        });
        assertEquals("open; HTTP 200 on /", r);
        assertEquals(3, asked[0]);
    }

    @Test
    void parsesChunkedRepliesAndRejectsNonHttp() {
        HttpReply r = HttpProbe.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer: x\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(200, r.status());
        assertEquals("hello world", r.body());
        assertEquals("x", r.header("Server"));
        assertEquals(null, HttpProbe.parse("SSH-2.0-OpenSSH\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
