package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moat.transport.UnreachableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** known_hosts matching and the policy, without a server: keys made in-process. */
class KnownHostsTest {
    @TempDir
    Path tmp;

    static PublicKey key(String alg) throws Exception {
        return KeyPairGenerator.getInstance(alg).generateKeyPair().getPublic();
    }

    static String b64(PublicKey k) {
        return Base64.getEncoder().encodeToString(HostKeys.blob(k));
    }

    static String hashed(String name) throws Exception {
        byte[] salt = new byte[20];
        salt[3] = 7;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] h = mac.doFinal(name.getBytes(StandardCharsets.US_ASCII));
        return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(h);
    }

    private KnownHosts kh(String text, boolean acceptNew) throws Exception {
        Path f = tmp.resolve("known_hosts");
        Files.writeString(f, text);
        return new KnownHosts(List.of(f), acceptNew);
    }

    @Test
    void patternsGlobsNegationAndPorts() {
        assertTrue(KnownHosts.matches("a.example,b.example", "b.example"));
        assertTrue(KnownHosts.matches("*.example", "gpu-01.example"));
        assertTrue(KnownHosts.matches("gpu-0?.example", "GPU-07.example"));
        assertFalse(KnownHosts.matches("*.example,!gpu-03.example", "gpu-03.example"));
        assertTrue(KnownHosts.matches("[10.0.0.1]:2222", "[10.0.0.1]:2222"));
        assertFalse(KnownHosts.matches("10.0.0.1", "[10.0.0.1]:2222"));
        assertTrue(KnownHosts.matches("[*.example]:2222", "[h.example]:2222"));
        assertFalse(KnownHosts.matches("!h.example", "h.example"));
    }

    @Test
    void hashedEntriesMatchTheirNameOnly() throws Exception {
        assertTrue(KnownHosts.matches(hashed("10.1.2.3"), "10.1.2.3"));
        assertTrue(KnownHosts.matches(hashed("[10.1.2.3]:2222"), "[10.1.2.3]:2222"));
        assertFalse(KnownHosts.matches(hashed("10.1.2.3"), "10.1.2.4"));
        assertFalse(KnownHosts.matches("|1|bad", "10.1.2.3"));
    }

    @Test
    void parseSkipsCommentsAndReadsMarkers() {
        assertNull(KnownHosts.parse("# comment"));
        assertNull(KnownHosts.parse("   "));
        assertNull(KnownHosts.parse("host ssh-ed25519 !!notbase64!!"));
        assertEquals("@revoked", KnownHosts.parse("@revoked * ssh-ed25519 AAAA").marker());
        assertEquals("ssh-rsa", KnownHosts.parse("h,h2 ssh-rsa AAAA comment here").type());
    }

    @Test
    void port22UsesTheBareNameOtherPortsTheBracketForm() throws Exception {
        PublicKey k = key("Ed25519");
        KnownHosts kh = kh("web.example ssh-ed25519 " + b64(k) + "\n", false);
        assertDoesNotThrow(() -> kh.verify("web", "web.example", 22, k));
        UnreachableException e = assertThrows(UnreachableException.class, () -> kh.verify("web", "web.example", 2222, k));
        assertTrue(e.getMessage().contains("web (web.example:2222)") && e.getMessage().contains("unknown"), e.getMessage());
    }

    @Test
    void changedKeyNamesBothFingerprintsEvenWithAcceptNew() throws Exception {
        PublicKey old = key("Ed25519"), now = key("Ed25519");
        KnownHosts kh = kh("[10.0.0.5]:2200 ssh-ed25519 " + b64(old) + "\n", true);
        UnreachableException e = assertThrows(UnreachableException.class, () -> kh.verify("gpu", "10.0.0.5", 2200, now));
        String m = e.getMessage();
        assertTrue(m.contains("CHANGED") && m.contains("gpu (10.0.0.5:2200)"), m);
        assertTrue(m.contains(HostKeys.fingerprint(old)) && m.contains(HostKeys.fingerprint(now)), m);
        assertEquals(1, Files.readAllLines(tmp.resolve("known_hosts")).size());
    }

    @Test
    void anotherKeyTypeOnFileCountsAsChanged() throws Exception {
        PublicKey rsa = key("RSA"), ed = key("Ed25519");
        KnownHosts kh = kh("h ssh-rsa " + b64(rsa) + "\n", true);
        UnreachableException e = assertThrows(UnreachableException.class, () -> kh.verify("h", "h", 22, ed));
        assertTrue(e.getMessage().contains("expected ssh-rsa " + HostKeys.fingerprint(rsa)), e.getMessage());
        assertEquals(List.of("ssh-rsa"), kh.knownTypes("h", 22));
    }

    @Test
    void acceptNewAppendsOnceAndRevokedKeysAreRefused() throws Exception {
        PublicKey k = key("EC");
        KnownHosts kh = kh("other ssh-ed25519 " + b64(key("Ed25519")), true);
        kh.verify("n", "10.9.9.9", 22, k);
        kh.verify("n", "10.9.9.9", 22, k);
        List<String> lines = Files.readAllLines(tmp.resolve("known_hosts"));
        assertEquals(2, lines.size());
        assertEquals("10.9.9.9 ecdsa-sha2-nistp256 " + b64(k), lines.get(1));
        KnownHosts again = new KnownHosts(List.of(tmp.resolve("known_hosts")), false);
        assertDoesNotThrow(() -> again.verify("n", "10.9.9.9", 22, k));

        PublicKey bad = key("Ed25519");
        KnownHosts revoked = kh("@revoked * ssh-ed25519 " + b64(bad) + "\n", true);
        UnreachableException e = assertThrows(UnreachableException.class, () -> revoked.verify("r", "r", 22, bad));
        assertTrue(e.getMessage().contains("@revoked"), e.getMessage());
    }

    @Test
    void severalFilesAreReadAndTheFirstReceivesNewKeys() throws Exception {
        PublicKey a = key("Ed25519"), b = key("Ed25519");
        Path first = tmp.resolve("mine"), second = tmp.resolve("global");
        Files.writeString(second, "a ssh-ed25519 " + b64(a) + "\n");
        KnownHosts kh = new KnownHosts(List.of(first, second), true);
        kh.verify("a", "a", 22, a);
        assertFalse(Files.exists(first));
        kh.verify("b", "b", 22, b);
        assertEquals("b ssh-ed25519 " + b64(b) + "\n", Files.readString(first));
    }

    @Test
    void fingerprintIsOpenSshs() throws Exception {
        // ssh-keygen -lf of this well-known test key prints SHA256:... of its blob
        PublicKey k = key("Ed25519");
        String fp = HostKeys.fingerprint(k);
        assertTrue(fp.startsWith("SHA256:") && !fp.endsWith("="), fp);
        assertEquals(7 + 43, fp.length());
    }
}
