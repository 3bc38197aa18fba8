package dev.moat.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names what answers on an open port, asking the unauthenticated endpoints a bot asks: an
 * OpenAI-compatible {@code /v1/models} (vLLM, llama.cpp, TGI...), Ollama's {@code /api/tags} and
 * {@code /api/version}, ComfyUI's {@code /system_stats}, Gradio's {@code /config}, Open WebUI's
 * {@code /api/config}, Jupyter's {@code /api}, TensorBoard's {@code /data/logdir}, Prometheus'
 * {@code /-/healthy}. The service usual for the port is asked first; the first that answers in
 * kind names it. Otherwise the answer to {@code GET /} ("HTTP 200 'Server: ...'") or "not HTTP".
 */
public final class ServiceIdentifier {
    /** GETs a path on the port without credentials; null when what answered is not HTTP. */
    @FunctionalInterface
    public interface Fetch {
        HttpReply get(String path) throws IOException;
    }

    private record Probe(int port, String path, String[] needles, String name) {
        boolean matches(HttpReply r) {
            if (r == null || r.status() != 200) return false;
            String b = r.body().toLowerCase(Locale.ROOT);
            for (String n : needles) if (!b.contains(n)) return false;
            return true;
        }
    }

    private static final List<Probe> PROBES = List.of(
            new Probe(8000, "/v1/models", new String[] {"\"data\""}, "OpenAI-compatible API (vLLM or similar): /v1/models lists models without a key"),
            new Probe(11434, "/api/tags", new String[] {"\"models\""}, "Ollama: /api/tags lists models without a key"),
            new Probe(11434, "/api/version", new String[] {"\"version\""}, "Ollama: /api/version answers without a key"),
            new Probe(8188, "/system_stats", new String[] {"\"system\""}, "ComfyUI: /system_stats answers without a key"),
            new Probe(7860, "/config", new String[] {"\"components\""}, "Gradio app: /config answers without a key"),
            new Probe(3000, "/api/config", new String[] {"open webui"}, "Open WebUI: /api/config answers"),
            new Probe(8888, "/api", new String[] {"\"version\""}, "Jupyter: /api answers without a token"),
            new Probe(6006, "/data/logdir", new String[] {"logdir"}, "TensorBoard: /data/logdir answers"),
            new Probe(9090, "/-/healthy", new String[] {"prometheus"}, "Prometheus: /-/healthy answers"));

    private ServiceIdentifier() {}

    /** What answers on {@code port}, in words. */
    public static String identify(int port, Fetch fetch) {
        HttpReply root;
        try {
            root = fetch.get("/");
        } catch (IOException e) {
            return "open; no HTTP answer (" + reason(e) + ")";
        } catch (RuntimeException e) {
            return "open; answers HTTP moat cannot parse";
        }
        if (root == null) return "open; not HTTP";
        List<Probe> order = new ArrayList<>();
        for (Probe p : PROBES) if (p.port() == port) order.add(p);
        for (Probe p : PROBES) if (p.port() != port) order.add(p);
        int failures = 0;
        for (Probe p : order) {
            try {
                if (p.matches(fetch.get(p.path()))) return p.name();
            } catch (IOException | RuntimeException e) {
                // One endpoint failing (or answering garbage) says nothing about the others; a tarpit is given up after two.
                if (++failures == 2) break;
            }
        }
        return "open; " + root.describe() + " on /";
    }

    static String reason(IOException e) {
        if (e instanceof java.net.SocketTimeoutException) return "no answer in time";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
