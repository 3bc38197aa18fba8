package dev.moat.scan;

import java.util.Locale;
import java.util.Map;

/** An HTTP response as a probe read it: status, headers (names in lower case), and the start of the body. */
public record HttpReply(int status, Map<String, String> headers, String body) {
    public HttpReply {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    /** A header's value, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** "HTTP 200 'Server: nginx'" (the Server header only when sent). */
    public String describe() {
        String server = header("server");
        return "HTTP " + status + (server == null ? "" : " 'Server: " + server + "'");
    }
}
