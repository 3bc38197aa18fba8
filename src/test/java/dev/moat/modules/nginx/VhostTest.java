package dev.moat.modules.nginx;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;

class VhostTest {
    @TempDir
    Path dir;

    static Vhost vllm(String certName) {
        return new Vhost("vllm", List.of("llm.h1.test", "www.llm.h1.test"), 80, 443, Upstream.parse("127.0.0.1:8000", false),
                "/etc/nginx/moat.htpasswd", "Restricted", certName, "100m", "/var/www/moat-acme");
    }

    static String golden(String name) throws IOException {
        try (InputStream in = VhostTest.class.getResourceAsStream("/nginx/" + name)) {
            assertNotNull(in, "golden file " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rendersExactlyTheGoldenFiles() throws Exception {
        Vhost v = vllm("llm.h1.test");
        assertEquals(golden("vllm-tls-off.conf"), v.render(Serving.LOOPBACK, true, NginxLayout.DEBIAN));
        assertEquals(golden("vllm-auto-without-cert.conf"), v.render(Serving.ACME_ONLY, true, NginxLayout.DEBIAN));
        assertEquals(golden("vllm-auto-with-cert.conf"), v.render(Serving.HTTPS, true, NginxLayout.DEBIAN));
    }

    @Test
    void basicAuthAndTheUpstreamNeverOnAPublicPlainHttpPort() {
        Vhost v = vllm("llm.h1.test");
        String acme = v.render(Serving.ACME_ONLY, true, NginxLayout.DEBIAN);
        assertFalse(acme.contains("proxy_pass"), acme);
        assertFalse(acme.contains("auth_basic"), acme);
        assertTrue(acme.contains("return 403;"));
        String https = v.render(Serving.HTTPS, true, NginxLayout.DEBIAN);
        String port80 = https.substring(0, https.indexOf("listen 443"));
        assertFalse(port80.contains("proxy_pass") || port80.contains("auth_basic"), port80);
        assertTrue(port80.contains("return 301 https://$host$request_uri;"));
        String off = v.render(Serving.LOOPBACK, true, NginxLayout.DEBIAN);
        for (String line : off.split("\n")) {
            if (line.strip().startsWith("listen ")) assertTrue(line.contains("127.0.0.1:") || line.contains("[::1]:"), line);
        }
    }

    @Test
    void noIpv6MeansNoIpv6ListenersAndOtherPortsAreRespected() {
        Vhost v = new Vhost("x", List.of("a.test"), 8080, 8443, Upstream.parse("11434", false), null, "Restricted", "a.test", "0", "/srv/acme");
        String https = v.render(Serving.HTTPS, false, NginxLayout.DEBIAN);
        assertFalse(https.contains("[::"), https);
        assertTrue(https.contains("    listen 8080;\n"));
        assertTrue(https.contains("    listen 8443 ssl;\n"));
        assertTrue(https.contains("return 301 https://$host:8443$request_uri;"));
        assertTrue(https.contains("proxy_pass http://127.0.0.1:11434;"));
        assertTrue(https.contains("root /srv/acme;"));
        assertFalse(https.contains("auth_basic"), "no auth_file, no Basic Auth");
        assertFalse(v.render(Serving.LOOPBACK, false, NginxLayout.DEBIAN).contains("[::1]"));
    }

    @Test
    void nothingFromTheArgumentsCanInjectADirective() {
        Upstream u = Upstream.parse("127.0.0.1:8000", false);
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test; return 200"), 80, 443, u, null, "R", "a.test", "1m", "/w"));
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test"), 80, 443, u, "/etc/p;w", "R", "a.test", "1m", "/w"));
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test"), 80, 443, u, null, "R\" ; x", "a.test", "1m", "/w"));
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test"), 80, 443, u, null, "R", "a/../b", "1m", "/w"));
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test"), 80, 443, u, null, "R", "a.test", "1m;", "/w"));
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test"), 80, 443, u, null, "$realm", "a.test", "1m", "/w"));
        assertThrows(IllegalArgumentException.class, () -> new Vhost("x", List.of("a.test"), 80, 80, u, null, "R", "a.test", "1m", "/w"));
        assertTrue(Vhost.isServerName("*.example.com"));
        assertFalse(Vhost.isServerName("a..b"));
        assertFalse(Vhost.isServerName("-a.b"));
    }

    @Test
    void upstreamsAreLoopbackUnlessAllowed() {
        assertEquals("127.0.0.1:8000", Upstream.parse("127.0.0.1:8000", false).toString());
        assertEquals("127.0.0.1:8188", Upstream.parse("8188", false).toString());
        assertEquals("[::1]:11434", Upstream.parse("http://[::1]:11434/", false).toString());
        assertEquals("localhost:1", Upstream.parse("localhost:1", false).toString());
        assertEquals("127.1.2.3:80", Upstream.parse("127.1.2.3:80", false).toString());
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class, () -> Upstream.parse("10.0.0.5:8000", false));
        assertTrue(remote.getMessage().contains("allow_remote_upstream"), remote.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("0.0.0.0:8000", false));
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("127.0.0.999:8000", false));
        assertEquals("gpu2.lan:8000", Upstream.parse("gpu2.lan:8000", true).toString());
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("127.0.0.1:0", false));
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("127.0.0.1:70000", false));
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("127.0.0.1", false));
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("::1:8000", false));
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("127.0.0.1:8000;evil", true));
        assertThrows(IllegalArgumentException.class, () -> Upstream.parse("h ost:8000", true));
    }

    // ---- the rendered text through the real nginx -t ----

    private FactOutput nginxTest(NginxLayout layout, String vhost) throws IOException {
        Files.writeString(Path.of(layout.upgradeMap()), Vhost.UPGRADE_MAP);
        Files.writeString(Path.of(layout.enabled("vllm")), vhost);
        return LocalHost.sh(layout.test(), null);
    }

    @Test
    void nginxAcceptsEachRenderedVhost() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        Vhost v = vllm("llm.h1.test");
        for (Serving s : new Serving[] {Serving.LOOPBACK, Serving.ACME_ONLY}) {
            FactOutput r = nginxTest(layout, v.render(s, true, layout));
            assertEquals(0, r.rc(), s + ": " + r.errText());
        }
        NginxT.selfSigned(layout, "llm.h1.test");
        FactOutput r = nginxTest(layout, v.render(Serving.HTTPS, true, layout));
        assertEquals(0, r.rc(), r.errText());
    }

    @Test
    void theVhostNeedsTheUpgradeMapAndAnHttpsVhostItsCertificate() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        Vhost v = vllm("llm.h1.test");
        Files.writeString(Path.of(layout.enabled("vllm")), v.render(Serving.LOOPBACK, true, layout));
        FactOutput noMap = LocalHost.sh(layout.test(), null);
        assertNotEquals(0, noMap.rc());
        assertTrue(noMap.errText().contains("moat_connection_upgrade"), noMap.errText());
        FactOutput noCert = nginxTest(layout, v.render(Serving.HTTPS, true, layout));
        assertNotEquals(0, noCert.rc(), "nginx -t must load the certificate, so a missing one is caught before reload");
    }
}
