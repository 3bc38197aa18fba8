package dev.moat.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The vault's HTTPS as a client sees it: a TLS handshake with SNI = the domain, the certificate
 * verified against the trust given (chain, validity dates, and the domain matched to its names, as
 * an HTTPS client does), then {@code GET /} without credentials over that connection. When the
 * certificate is refused, it connects again accepting anything, only to say why it was refused and
 * what the vault answers anyway.
 */
public final class TlsCheck {
    /** The outcome: whether the certificate verified, in words either way, and the reply to GET / (null if none). */
    public record Result(boolean verified, String certificate, HttpReply reply, String replyError) {}

    private TlsCheck() {}

    public static Result check(InetAddress address, int port, String domain, SSLContext trust, Duration timeout) {
        try {
            return attempt(address, port, domain, trust, timeout, true);
        } catch (SSLException e) {
            try {
                Result r = attempt(address, port, domain, Trust.anything(), timeout, false);
                return new Result(false, "certificate refused: " + r.certificate(), r.reply(), r.replyError());
            } catch (IOException e2) {
                return new Result(false, "TLS handshake failed: " + e.getMessage(), null, null);
            }
        } catch (IOException e) {
            return new Result(false, "no TLS connection: " + ServiceIdentifier.reason(e), null, null);
        }
    }

    private static Result attempt(InetAddress address, int port, String domain, SSLContext ctx, Duration timeout, boolean verify)
            throws IOException {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
        raw.setSoTimeout((int) timeout.toMillis());
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, domain, port, true)) {
            SSLParameters p = s.getSSLParameters();
            if (verify) p.setEndpointIdentificationAlgorithm("HTTPS");
            try {
                p.setServerNames(List.of(new SNIHostName(domain)));
            } catch (IllegalArgumentException e) {
                // An IP address: no SNI.
            }
            s.setSSLParameters(p);
            s.startHandshake();
            Certificate[] chain = s.getSession().getPeerCertificates();
            X509Certificate leaf = (X509Certificate) chain[0];
            String about = verify ? describe(leaf) : whyRefused(leaf, domain, Instant.now());
            try {
                return new Result(verify, about, HttpProbe.exchange(s, domain, "/"), null);
            } catch (IOException e) {
                return new Result(verify, about, null, ServiceIdentifier.reason(e));
            }
        } finally {
            raw.close();
        }
    }

    static String describe(X509Certificate c) {
        return "valid until " + c.getNotAfter().toInstant() + ", issued by " + c.getIssuerX500Principal().getName();
    }

    /** Why a certificate the trust refused fails for {@code domain} at {@code now}: dates, names, else its issuer. */
    static String whyRefused(X509Certificate c, String domain, Instant now) {
        List<String> why = new ArrayList<>();
        if (now.isAfter(c.getNotAfter().toInstant())) why.add("expired on " + c.getNotAfter().toInstant());
        if (now.isBefore(c.getNotBefore().toInstant())) why.add("not valid before " + c.getNotBefore().toInstant());
        List<String> names = dnsNames(c);
        if (names.stream().noneMatch(n -> matches(n, domain))) why.add("names " + names + ", not " + domain);
        if (why.isEmpty()) why.add("not trusted (issued by " + c.getIssuerX500Principal().getName() + ")");
        return String.join("; ", why);
    }

    static List<String> dnsNames(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) for (List<?> san : sans) if (Integer.valueOf(2).equals(san.get(0))) out.add(String.valueOf(san.get(1)));
        } catch (CertificateParsingException e) {
            // Unreadable names match nothing.
        }
        return out;
    }

    /** RFC 6125 matching of one DNS name (a leftmost "*." wildcard covers exactly one label). */
    static boolean matches(String name, String domain) {
        String n = name.toLowerCase(Locale.ROOT), d = domain.toLowerCase(Locale.ROOT);
        if (n.startsWith("*.")) {
            int dot = d.indexOf('.');
            return dot > 0 && d.substring(dot).equals(n.substring(1));
        }
        return n.equals(d);
    }
}
