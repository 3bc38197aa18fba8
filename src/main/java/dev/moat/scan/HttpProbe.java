package dev.moat.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 GET over a socket the caller may wrap in TLS, without credentials and without
 * following redirects: what a bot sees. Reads at most {@link #MAX_BYTES}; the Host header is
 * separate from the address connected to, so a vault's virtual host can be asked for by name.
 */
public final class HttpProbe {
    static final int MAX_BYTES = 64 * 1024;

    private HttpProbe() {}

    /** GET {@code path} from {@code address:port} over plain TCP; null when what answered is not HTTP. */
    public static HttpReply get(InetAddress address, int port, String hostHeader, String path, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            return exchange(s, hostHeader, path);
        }
    }

    /** Sends the request on a connected socket (plain or TLS) and reads the reply; null when not HTTP. */
    public static HttpReply exchange(Socket s, String hostHeader, String path) throws IOException {
        OutputStream out = s.getOutputStream();
        String req = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: moat-scan\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] raw = readUpTo(s.getInputStream(), MAX_BYTES);
        return parse(raw);
    }

    private static byte[] readUpTo(InputStream in, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            int n;
            while (buf.size() < max && (n = in.read(b, 0, Math.min(b.length, max - buf.size()))) > 0) {
                buf.write(b, 0, n);
                if (complete(buf.toByteArray())) break;
            }
        } catch (SocketTimeoutException e) {
            if (buf.size() == 0) throw e;
        } catch (IOException e) {
            // A reset after a complete-enough answer still tells what answered.
            if (buf.size() == 0) throw e;
        }
        return buf.toByteArray();
    }

    /** Whether the bytes hold the whole response (headers, and a body as long as Content-Length says). */
    private static boolean complete(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) return false;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(s.substring(0, end));
        if (m.find()) return m.group(1).length() > 18 || raw.length - end - 4 >= Long.parseLong(m.group(1));
        if (s.substring(0, end).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) return s.endsWith("0\r\n\r\n");
        return false;
    }

    /** Parses raw response bytes; null when they do not start with an HTTP status line. */
    static HttpReply parse(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        if (!s.startsWith("HTTP/")) return null;
        int headEnd = s.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? s : s.substring(0, headEnd);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(status.length > 1 ? status[1].trim() : "");
        } catch (NumberFormatException e) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) headers.putIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        byte[] body = headEnd < 0 ? new byte[0] : java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) body = dechunk(body);
        return new HttpReply(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int nl = indexOfCrlf(b, i);
            if (nl < 0) break;
            String size = new String(b, i, nl - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                break;
            }
            int start = nl + 2;
            if (n <= 0 || start >= b.length) break;
            out.write(b, start, Math.min(n, b.length - start));
            if (n > b.length - start) break;
            i = start + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }
}
