package dev.moat.scan;

import java.util.Objects;

/**
 * One row of a scan report: on {@code host}, what was checked ({@code check}, e.g. {@code port 8000},
 * {@code vault api.h1.test}, {@code compose /opt/ai/docker-compose.yml}), the verdict, what was seen,
 * and for a problem the playbook task or variable that fixes it ({@code fix}, null when none applies).
 */
public record Finding(String host, String check, Verdict verdict, String detail, String fix) {
    public Finding {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(verdict, "verdict");
        detail = detail == null ? "" : printable(detail);
        check = printable(check);
    }

    /**
     * {@code text} with every control character (escape sequences a scanned service may send, to
     * repaint the operator's terminal) shown as {@code \xNN} instead of being printed raw.
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && out == null) out = new StringBuilder(text.substring(0, i));
            if (out != null) {
                if (control) out.append(String.format("\\x%02x", (int) c & 0xff));
                else out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    public static Finding of(String host, String check, Verdict verdict, String detail) {
        return new Finding(host, check, verdict, detail, null);
    }
}
