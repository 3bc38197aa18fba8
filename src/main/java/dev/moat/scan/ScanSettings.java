package dev.moat.scan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * How {@link OutsideScan} scans: the AI ports to try on every host, the TCP connect timeout (what a
 * filtered port costs), the read timeout of an HTTP or TLS probe, how many connects may be in flight
 * at once, and the CAs a vault's certificate must chain to.
 */
public record ScanSettings(List<Integer> ports, Duration connectTimeout, Duration readTimeout, int concurrency, SSLContext trust) {
    /** The AI ports of issue 6: vLLM/OpenAI-compatible, Ollama, ComfyUI, Gradio, 8080, 5000, Open WebUI, Jupyter, TensorBoard, 9090. */
    public static final List<Integer> AI_PORTS = List.of(8000, 11434, 8188, 7860, 8080, 5000, 3000, 8888, 6006, 9090);

    public ScanSettings {
        ports = List.copyOf(ports);
        for (int p : ports) if (p < 1 || p > 65535) throw new IllegalArgumentException("port out of range: " + p);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(trust, "trust");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
    }
}
