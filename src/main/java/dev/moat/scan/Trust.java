package dev.moat.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.moat.MoatException;

/**
 * The certificate authorities a vault's certificate must chain to: the JDK's system trust store, or
 * only those of a PEM bundle ({@code --ca-file}, e.g. a private ACME CA's root such as Pebble's).
 */
public final class Trust {
    private Trust() {}

    /** A TLS context that verifies against the system trust store. */
    public static SSLContext system() {
        return context(null);
    }

    /** A TLS context that trusts exactly the certificates in {@code pemBundle}; usage error (64) if unreadable. */
    public static SSLContext fromPem(Path pemBundle) {
        try (InputStream in = Files.newInputStream(pemBundle)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) throw MoatException.usage("--ca-file " + pemBundle + ": no certificate in it");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) ks.setCertificateEntry("ca" + i++, c);
            return context(ks);
        } catch (IOException | GeneralSecurityException e) {
            throw MoatException.usage("--ca-file " + pemBundle + ": not a PEM certificate bundle (" + e.getMessage() + ")");
        }
    }

    private static SSLContext context(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    /** A context that accepts any certificate: only to read a rejected certificate's details and ask the vault anyway. */
    static SSLContext anything() {
        TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
