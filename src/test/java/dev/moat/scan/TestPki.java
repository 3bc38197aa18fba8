package dev.moat.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A throwaway CA and a server certificate signed by it, made with openssl in a temp directory. */
final class TestPki {
    final Path dir;
    final Path caPem;
    final Path serverPem;
    final Path serverKey;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverPem = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
    }

    /** A CA and a server certificate for {@code dnsNames}, valid for two days. */
    static TestPki create(Path dir, String... dnsNames) throws IOException, InterruptedException {
        TestPki p = new TestPki(dir);
        String ec = "ec_paramgen_curve:P-256";
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-subj", "/CN=moat test CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=" + dnsNames[0]);
        StringBuilder san = new StringBuilder("subjectAltName=");
        for (int i = 0; i < dnsNames.length; i++) san.append(i == 0 ? "" : ",").append("DNS:").append(dnsNames[i]);
        Files.writeString(dir.resolve("ext.cnf"), san + "\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
        return p;
    }

    /** A server-side TLS context presenting the server certificate (and the CA) with its key. */
    SSLContext serverContext() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate leaf;
        Certificate ca;
        try (var in = Files.newInputStream(serverPem)) {
            leaf = cf.generateCertificate(in);
        }
        try (var in = Files.newInputStream(caPem)) {
            ca = cf.generateCertificate(in);
        }
        String pem = Files.readString(serverKey, StandardCharsets.US_ASCII);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, "pw".toCharArray(), new Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
}
