package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole outside-in scan against servers on loopback: fake vLLM/Ollama/ComfyUI, a closed port,
 * a "filtered" one (a listener whose full accept queue drops SYNs), a 301 redirector standing in
 * for port 80 and an HTTPS vault (certificate from a CA made here) standing in for 443.
 */
class OutsideScanTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TestServers servers;
    static int vllm, ollama, comfy, closed, filtered, redirect, vault;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(tmp, "vault.test", "open.test");
        servers = new TestServers();
        vllm = servers.http(Map.of("/v1/models", "{\"object\":\"list\",\"data\":[]}"), "uvicorn");
        ollama = servers.http(Map.of("/api/tags", "{\"models\":[]}"), null);
        comfy = servers.http(Map.of("/system_stats", "{\"system\":{}}"), null);
        closed = TestServers.closedPort();
        filtered = servers.filteredPort();
        redirect = servers.redirector(301, "https://vault.test/");
        vault = servers.vault(pki.serverContext());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static OutsideScan.Report scan(SSLContext trust, List<VaultService> vaults, OutsideScan.Resolver resolver, String... hosts)
            throws Exception {
        List<Integer> ports = new ArrayList<>(List.of(vllm, ollama, comfy, closed));
        if (filtered > 0) ports.add(filtered);
        ScanSettings s = new ScanSettings(ports, Duration.ofMillis(300), Duration.ofSeconds(3), 64, trust, redirect, vault);
        List<ScanTarget> targets = new ArrayList<>();
        for (String h : hosts) targets.add(new ScanTarget(h, "127.0.0.1", vaults));
        return new OutsideScan(s, resolver).run(targets);
    }

    private static Finding find(OutsideScan.Report r, String check) {
        return r.findings().stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + check + " in " + r.findings()));
    }

    @Test
    void openAiPortsAreExposedAndTheVaultPasses() throws Exception {
        OutsideScan.Report r = scan(Trust.fromPem(pki.caPem), List.of(new VaultService("vllm", vllm, "vault.test")),
                java.net.InetAddress::getByName, "h1");
        assertEquals(Verdict.EXPOSED, find(r, "port " + vllm).verdict());
        assertTrue(find(r, "port " + vllm).detail().startsWith("OpenAI-compatible"), find(r, "port " + vllm).detail());
        assertTrue(find(r, "port " + ollama).detail().startsWith("Ollama"));
        assertTrue(find(r, "port " + comfy).detail().startsWith("ComfyUI"));
        assertEquals(Verdict.OK, find(r, "port " + closed).verdict());
        assertEquals("closed", find(r, "port " + closed).detail());
        if (filtered > 0) assertTrue(find(r, "port " + filtered).detail().startsWith("filtered"), find(r, "port " + filtered).detail());
        assertEquals(Verdict.OK, find(r, "http vault.test").verdict(), find(r, "http vault.test").toString());
        assertEquals(Verdict.OK, find(r, "tls vault.test").verdict(), find(r, "tls vault.test").toString());
        Finding auth = find(r, "vault vault.test");
        assertEquals(Verdict.OK, auth.verdict(), auth.toString());
        assertTrue(auth.detail().contains("Basic realm"), auth.detail());
        assertEquals(List.of(), r.unresolved());
    }

    @Test
    void aVaultWithoutAuthIsExposedAndABadCertificateFails() throws Exception {
        OutsideScan.Report r = scan(Trust.system(), List.of(new VaultService("a", 0, "open.test"), new VaultService("b", 0, "vault.test")),
                java.net.InetAddress::getByName, "h1");
        Finding tls = find(r, "tls open.test");
        assertEquals(Verdict.FAIL, tls.verdict());
        assertTrue(tls.detail().contains("not trusted (issued by CN=moat test CA)"), tls.detail());
        assertEquals(Verdict.EXPOSED, find(r, "vault open.test").verdict(), "asked anyway, the vault answers 200 without credentials");
        assertEquals(Verdict.OK, find(r, "vault vault.test").verdict());
    }

    @Test
    void aCertificateForOtherNamesFails() throws Exception {
        OutsideScan.Report r = scan(Trust.fromPem(pki.caPem), List.of(new VaultService("x", 0, "other.test")), java.net.InetAddress::getByName, "h1");
        Finding tls = find(r, "tls other.test");
        assertEquals(Verdict.FAIL, tls.verdict());
        assertTrue(tls.detail().contains("names [vault.test, open.test], not other.test"), tls.detail());
    }

    @Test
    void anUnresolvableHostIsReportedAndTheOthersStillScanned() throws Exception {
        OutsideScan.Report r = scan(Trust.system(), List.of(), a -> {
            throw new java.net.UnknownHostException(a);
        }, "ghost");
        assertEquals(List.of("ghost"), r.unresolved());
        assertEquals(Verdict.FAIL, find(r, "address").verdict());
        OutsideScan.Report ok = scan(Trust.system(), List.of(), java.net.InetAddress::getByName, "h1", "h2");
        assertEquals(2, ok.findings().stream().filter(f -> f.check().equals("port " + vllm)).count());
        assertEquals(Verdict.INFO, ok.findings().stream().filter(f -> f.check().equals("port " + vault)).findFirst().orElseThrow().verdict());
    }

    @Test
    void aLoopbackOnlyVaultSkipsTheVaultChecksButNotBasicAuthOverPlainHttp() throws Exception {
        List<VaultService> vaults = List.of(new VaultService("vllm", closed, "vault.test"));
        ScanSettings quiet = new ScanSettings(List.of(closed), Duration.ofMillis(300), Duration.ofSeconds(3), 64, Trust.system(),
                TestServers.closedPort(), TestServers.closedPort());
        OutsideScan.Report r = new OutsideScan(quiet, java.net.InetAddress::getByName).run(List.of(new ScanTarget("h1", "127.0.0.1", vaults, false)));
        assertEquals(Verdict.INFO, find(r, "vault").verdict());
        assertTrue(find(r, "vault").detail().contains("loopback only"), find(r, "vault").detail());
        assertTrue(r.findings().stream().noneMatch(f -> f.verdict().bad()), r.findings().toString());

        int basic = servers.redirector(401, null);
        ScanSettings leaky = new ScanSettings(List.of(closed), Duration.ofMillis(300), Duration.ofSeconds(3), 64, Trust.system(), basic, vault);
        OutsideScan.Report bad = new OutsideScan(leaky, java.net.InetAddress::getByName).run(List.of(new ScanTarget("h1", "127.0.0.1", vaults, false)));
        Finding plain = find(bad, "port " + basic + " vault.test");
        assertEquals(Verdict.EXPOSED, plain.verdict(), plain.toString());
        assertTrue(plain.detail().contains("Basic Auth would cross in clear text"), plain.detail());
        assertEquals(Verdict.INFO, find(bad, "port " + vault + " vault.test").verdict(), "TLS on 443 is not plain HTTP Basic Auth");
        assertTrue(bad.findings().stream().noneMatch(f -> f.check().startsWith("tls ") || f.check().startsWith("http ")), bad.findings().toString());
    }

    @Test
    void plainHttpWhereNoVaultShouldAnswer() {
        assertEquals(Verdict.EXPOSED, OutsideScan.plainHttp("h", "c", new HttpReply(401, Map.of(), ""), () -> "x").verdict());
        assertEquals(Verdict.EXPOSED, OutsideScan.plainHttp("h", "c", new HttpReply(200, Map.of(), ""), () -> "Ollama: /api/tags").verdict());
        assertEquals(Verdict.INFO, OutsideScan.plainHttp("h", "c", new HttpReply(200, Map.of(), ""), () -> "open; HTTP 200 on /").verdict());
        assertEquals(Verdict.INFO, OutsideScan.plainHttp("h", "c", new HttpReply(400, Map.of(), ""), () -> "x").verdict());
        assertEquals(Verdict.INFO, OutsideScan.plainHttp("h", "c", null, () -> "x").verdict());
    }

    @Test
    void port80MustRedirectToHttps() {
        HttpReply moved = new HttpReply(301, Map.of("location", "https://a.test/"), "");
        HttpReply found = new HttpReply(302, Map.of("location", "https://a.test/"), "");
        HttpReply toHttp = new HttpReply(301, Map.of("location", "http://a.test/"), "");
        HttpReply basic = new HttpReply(401, Map.of(), "");
        HttpReply page = new HttpReply(200, Map.of(), "<html>");
        assertEquals(Verdict.OK, OutsideScan.redirect("h", "c", true, moved, () -> "x").verdict());
        assertEquals(Verdict.OK, OutsideScan.redirect("h", "c", true, found, () -> "x").verdict());
        assertEquals(Verdict.FAIL, OutsideScan.redirect("h", "c", true, toHttp, () -> "x").verdict());
        assertEquals(Verdict.EXPOSED, OutsideScan.redirect("h", "c", true, basic, () -> "x").verdict());
        assertEquals(Verdict.EXPOSED, OutsideScan.redirect("h", "c", false, page, () -> "Ollama: /api/tags").verdict());
        assertEquals(Verdict.FAIL, OutsideScan.redirect("h", "c", true, page, () -> "open; HTTP 200 on /").verdict());
        assertEquals(Verdict.INFO, OutsideScan.redirect("h", "c", false, page, () -> "open; HTTP 200 on /").verdict());
    }

    @Test
    void theVaultMustAnswer401() {
        assertEquals(Verdict.OK, OutsideScan.auth("h", "v", new HttpReply(401, Map.of(), ""), null).verdict());
        assertEquals(Verdict.EXPOSED, OutsideScan.auth("h", "v", new HttpReply(200, Map.of(), ""), null).verdict());
        assertEquals(Verdict.FAIL, OutsideScan.auth("h", "v", new HttpReply(502, Map.of(), ""), null).verdict());
        assertEquals(Verdict.FAIL, OutsideScan.auth("h", "v", null, "no answer in time").verdict());
    }

    @Test
    void saysWhyACertificateIsRefused() throws Exception {
        X509Certificate c;
        try (var in = Files.newInputStream(pki.serverPem)) {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String expired = TlsCheck.whyRefused(c, "vault.test", c.getNotAfter().toInstant().plus(1, ChronoUnit.DAYS));
        assertTrue(expired.startsWith("expired on "), expired);
        String early = TlsCheck.whyRefused(c, "vault.test", c.getNotBefore().toInstant().minus(1, ChronoUnit.DAYS));
        assertTrue(early.startsWith("not valid before "), early);
        assertTrue(TlsCheck.matches("*.h1.test", "api.h1.test"));
        assertTrue(!TlsCheck.matches("*.h1.test", "a.api.h1.test"));
        assertTrue(!TlsCheck.matches("*.h1.test", "h1.test"));
    }
}
