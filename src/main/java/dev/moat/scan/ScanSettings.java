package dev.moat.scan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * How {@link OutsideScan} scans: the AI ports to try on every host, the TCP connect timeout (what a
 * filtered port costs), the read timeout of an HTTP or TLS probe, how many connects may be in flight
 * at once, the CAs a vault's certificate must chain to, and where the vault's HTTP and HTTPS listen
 * (80 and 443; other values only for tests).
 */
public record ScanSettings(List<Integer> ports, Duration connectTimeout, Duration readTimeout, int concurrency, SSLContext trust,
                           int httpPort, int httpsPort) {
    /** The AI ports of issue 6: vLLM/OpenAI-compatible, Ollama, ComfyUI, Gradio, 8080, 5000, Open WebUI, Jupyter, TensorBoard, 9090. */
    public static final List<Integer> AI_PORTS = List.of(8000, 11434, 8188, 7860, 8080, 5000, 3000, 8888, 6006, 9090);

    public ScanSettings {
        ports = List.copyOf(ports);
        for (int p : ports) if (p < 1 || p > 65535) throw new IllegalArgumentException("port out of range: " + p);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(trust, "trust");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (httpPort < 1 || httpPort > 65535 || httpsPort < 1 || httpsPort > 65535) throw new IllegalArgumentException("vault port out of range");
    }

    /** Settings with the vault on 80 and 443. */
    public ScanSettings(List<Integer> ports, Duration connectTimeout, Duration readTimeout, int concurrency, SSLContext trust) {
        this(ports, connectTimeout, readTimeout, concurrency, trust, 80, 443);
    }
}
