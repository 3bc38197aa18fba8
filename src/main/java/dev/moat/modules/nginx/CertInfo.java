package dev.moat.modules.nginx;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a certificate on the host says about itself, read with
 * {@code openssl x509 -noout -enddate -ext subjectAltName} ({@link #SCRIPT}): its end date and the
 * DNS names it covers. The decision (covered? days left?) is taken on the controller, so it is
 * testable with a fixed clock.
 */
public record CertInfo(Instant notAfter, List<String> dnsNames) {
    private static final DateTimeFormatter OPENSSL = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT);

    public CertInfo {
        if (notAfter == null) throw new IllegalArgumentException("notAfter required");
        dnsNames = List.copyOf(dnsNames);
    }

    /** The fact's snippet for certificate file {@code $f}: its end date and SANs, or {@code absent}. */
    public static String script(String quotedPath) {
        return "f=" + quotedPath + "\n"
                + "if [ -e \"$f\" ]; then openssl x509 -in \"$f\" -noout -enddate -ext subjectAltName; else echo absent; fi";
    }

    /**
     * Reads the snippet's output: null when the certificate is absent.
     *
     * @throws IllegalArgumentException when the output has no {@code notAfter=} line
     */
    public static CertInfo parse(String out) {
        if (out.strip().equals("absent")) return null;
        Instant end = null;
        List<String> names = new ArrayList<>();
        boolean san = false;
        for (String raw : out.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("notAfter=")) {
                end = date(line.substring(9));
                san = false;
            } else if (line.startsWith("X509v3 Subject Alternative Name")) {
                san = true;
            } else if (san && !line.isEmpty()) {
                for (String entry : line.split(",")) {
                    String e = entry.strip();
                    if (e.startsWith("DNS:")) names.add(e.substring(4).toLowerCase(Locale.ROOT));
                }
                san = false;
            }
        }
        if (end == null) throw new IllegalArgumentException("no notAfter= line in '" + out.strip() + "'");
        return new CertInfo(end, names);
    }

    /** {@code Jan 15 12:00:00 2027 GMT} (day space-padded), as openssl prints it. */
    static Instant date(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        if (!t.endsWith(" GMT")) throw new IllegalArgumentException("unexpected date '" + text + "'");
        try {
            return LocalDateTime.parse(t.substring(0, t.length() - 4), OPENSSL).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unexpected date '" + text + "'");
        }
    }

    /** Whether every one of {@code domains} is among the certificate's DNS names (case-insensitive, exact). */
    public boolean covers(List<String> domains) {
        for (String d : domains) if (!dnsNames.contains(d.toLowerCase(Locale.ROOT))) return false;
        return true;
    }

    /** Whole days from {@code now} to the end date (negative once expired). */
    public long daysLeft(Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86400L);
    }

    /** The domains the certificate lacks, for messages. */
    public List<String> missing(List<String> domains) {
        List<String> m = new ArrayList<>();
        for (String d : domains) if (!dnsNames.contains(d.toLowerCase(Locale.ROOT))) m.add(d);
        return m;
    }
}
