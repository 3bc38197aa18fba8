package dev.moat.scan;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

/** Loopback servers for scan tests: fake AI APIs, a redirector, a vault over TLS, a non-HTTP port, a closed and a "filtered" port. */
final class TestServers implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** An HTTP server answering {@code paths} (path → JSON body) with 200, anything else 404, with a Server header. */
    int http(Map<String, String> paths, String server) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        s.createContext("/", ex -> {
            String body = paths.get(ex.getRequestURI().getPath());
            if (server != null) ex.getResponseHeaders().add("Server", server);
            reply(ex, body == null ? 404 : 200, body == null ? "not found" : body);
        });
        s.start();
        open.add(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    /** An HTTP server answering every request with {@code status} and a Location header (when not null). */
    int redirector(int status, String location) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        s.createContext("/", ex -> {
            if (location != null) ex.getResponseHeaders().add("Location", location);
            reply(ex, status, "");
        });
        s.start();
        open.add(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    /** An HTTPS vault: 401 with a Basic challenge, except 200 for Host names starting with "open.". */
    int vault(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        s.createContext("/", ex -> {
            String host = ex.getRequestHeaders().getFirst("Host");
            if (host != null && host.startsWith("open.")) {
                reply(ex, 200, "{\"data\": []}");
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"moat\"");
                reply(ex, 401, "unauthorized");
            }
        });
        s.start();
        open.add(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    /** A TCP server that greets like SSH and closes: open, not HTTP. */
    int notHttp() throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, LOOPBACK);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket c = ss.accept()) {
                    OutputStream o = c.getOutputStream();
                    o.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        open.add(ss);
        return ss.getLocalPort();
    }

    /** A port nothing listens on (bound, then released): connects get a RST. */
    static int closedPort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, LOOPBACK)) {
            return ss.getLocalPort();
        }
    }

    /**
     * A port that never answers: a listener that never accepts, its accept queue filled, so the
     * kernel drops further SYNs (Linux does; returns -1 where it does not).
     */
    int filteredPort() throws IOException {
        ServerSocket ss = new ServerSocket(0, 1, LOOPBACK);
        open.add(ss);
        for (int i = 0; i < 8; i++) {
            Socket c = new Socket();
            open.add(c);
            try {
                c.connect(new InetSocketAddress(LOOPBACK, ss.getLocalPort()), 100);
            } catch (java.net.SocketTimeoutException e) {
                return ss.getLocalPort();
            }
        }
        return -1;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
