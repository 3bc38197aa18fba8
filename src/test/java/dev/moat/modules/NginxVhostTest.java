package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.nginx.NginxLayout;
import dev.moat.modules.nginx.NginxT;
import dev.moat.modules.nginx.Serving;
import dev.moat.modules.nginx.Vhost;

class NginxVhostTest {
    final NginxVhost module = new NginxVhost();

    @TempDir
    Path dir;

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>(Map.of("name", "vllm", "server_name", List.of("llm.h1.test"),
                "upstream", "127.0.0.1:8000", "auth_file", "/etc/nginx/moat.htpasswd"));
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static String file(String content) {
        return "file 644 0 0 " + content.getBytes(StandardCharsets.UTF_8).length + " root root\n" + content;
    }

    static String link(String target) {
        return "link 777 0 0 " + target.length() + " root root\n" + target + "\n";
    }

    /** A Debian host with nginx installed; {@code site} and {@code enabled} are the vhost's current files. */
    static FakeFacts host(String site, String enabled, String map, boolean cert) {
        return new FakeFacts()
                .put("file:/etc/nginx/sites-available/vllm", site)
                .put("file:/etc/nginx/sites-enabled/vllm", enabled)
                .put("exists:/etc/nginx/sites-enabled", "yes\n")
                .put("file:/etc/nginx/sites-enabled/default", link("/etc/nginx/sites-available/default"))
                .put("file:/etc/nginx/conf.d/moat-upgrade-map.conf", map)
                .put("cmd:ipv6", "yes\n")
                .put("exists:/etc/letsencrypt/live/llm.h1.test/fullchain.pem", cert ? "yes\n" : "no\n")
                .put("exists:/etc/letsencrypt/live/llm.h1.test/privkey.pem", cert ? "yes\n" : "no\n")
                .put("exists:/var/www/moat-acme", "yes\n")
                .put("service:nginx", RUNNING);
    }

    static final String RUNNING = "manager=systemd\nload=loaded\nactive=active\nenabled=enabled\n";

    private Plan plan(Map<String, Object> raw, FakeFacts facts, FakeContext ctx) throws Exception {
        return module.plan(LocalHost.bind(module, raw), facts, ctx);
    }

    static String rendered(Serving s) throws Exception {
        NginxVhost.VhostArgs a = LocalHost.bind(new NginxVhost(), args());
        return a.vhost().render(s, true, NginxLayout.DEBIAN);
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("upstream", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("upstream", "10.0.0.2:8000"))).arg());
        assertDoesNotThrow(() -> LocalHost.bind(module, args("upstream", "10.0.0.2:8000", "allow_remote_upstream", true)));
        assertEquals("server_name", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("server_name", List.of("a b")))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("name", "../x"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("name", "default"))).arg());
        assertEquals("listen", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("listen", List.of(80, 443, 8443)))).arg());
        assertEquals("listen", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("listen", List.of("http")))).arg());
        assertEquals("tls", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("tls", "yes"))).arg());
        assertEquals("auth_file", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("auth_file", "htpasswd"))).arg());
        assertEquals("cert_name", assertThrows(ArgException.class, () -> LocalHost.bind(module, args("server_name", List.of("*.h1.test")))).arg());
        assertEquals("server_name", assertThrows(ArgException.class,
                () -> LocalHost.bind(module, Map.of("name", "x", "state", "absent", "server_name", "a.test"))).arg());
        ArgException body = assertThrows(ArgException.class, () -> LocalHost.bind(module, args("client_max_body_size", "100 MB")));
        assertTrue(body.getMessage().contains("client_max_body_size"), body.getMessage());
    }

    @Test
    void theDefaultsAreTheVaultsDefaults() throws Exception {
        Vhost v = LocalHost.bind(module, args()).vhost();
        assertEquals(80, v.httpPort());
        assertEquals(443, v.httpsPort());
        assertEquals("llm.h1.test", v.certName());
        assertEquals("100m", v.bodySize());
        assertEquals("/var/www/moat-acme", v.acmeWebroot());
        assertEquals("auto", LocalHost.bind(module, args()).tls());
    }

    @Test
    void aFreshHostGetsTheAcmeOnlyVhostInOneTestedStepThenAReload() throws Exception {
        Plan p = plan(args(), host("absent\n", "absent\n", "absent\n", false), FakeContext.apply());
        assertEquals(List.of("install vhost vllm and test nginx's configuration", "reload nginx"),
                p.steps().stream().map(Step::describe).toList());
        Step install = p.steps().get(0);
        assertEquals(rendered(Serving.ACME_ONLY), new String(install.stdin(), StandardCharsets.UTF_8));
        assertTrue(install.script().contains("nginx -t"), install.script());
        assertEquals(NginxLayout.RELOAD, p.steps().get(1).script());
        assertEquals(List.of(Diff.file("/etc/nginx/sites-available/vllm", "", rendered(Serving.ACME_ONLY)),
                Diff.of("/etc/nginx/sites-enabled/vllm", "", "symlink to /etc/nginx/sites-available/vllm\n"),
                Diff.file("/etc/nginx/conf.d/moat-upgrade-map.conf", "", Vhost.UPGRADE_MAP)), p.diffs());
        // The reload comes first: a rollback replays newest first, so it reloads after the restores.
        assertEquals(List.of(new Undo.Reload("nginx"),
                new Undo.RestorePath("/etc/nginx/sites-available/vllm"), new Undo.RestorePath("/etc/nginx/sites-enabled/vllm"),
                new Undo.RestorePath("/etc/nginx/conf.d/moat-upgrade-map.conf")), p.undo());
        assertEquals(Set.of("file:/etc/nginx/sites-available/vllm", "file:/etc/nginx/sites-enabled/vllm",
                "file:/etc/nginx/conf.d/moat-upgrade-map.conf", "service:nginx"), p.touches());
    }

    @Test
    void onceTheCertificateExistsTheVhostServesHttpsAndOnlyTheVhostChanges() throws Exception {
        String enabled = link("/etc/nginx/sites-available/vllm");
        Plan p = plan(args(), host(file(rendered(Serving.ACME_ONLY)), enabled, file(Vhost.UPGRADE_MAP), true), FakeContext.apply());
        assertEquals(List.of(Diff.file("/etc/nginx/sites-available/vllm", rendered(Serving.ACME_ONLY), rendered(Serving.HTTPS))), p.diffs());
        assertEquals(rendered(Serving.HTTPS), new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
        assertEquals(new Undo.RestorePath("/etc/nginx/sites-available/vllm"), p.undo().get(1));
    }

    @Test
    void rerunsAreQuiet() throws Exception {
        String enabled = link("/etc/nginx/sites-available/vllm");
        assertFalse(plan(args(), host(file(rendered(Serving.HTTPS)), enabled, file(Vhost.UPGRADE_MAP), true), FakeContext.apply()).changes());
        assertFalse(plan(args(), host(file(rendered(Serving.ACME_ONLY)), enabled, file(Vhost.UPGRADE_MAP), false), FakeContext.apply()).changes());
        FakeFacts off = host(file(rendered(Serving.LOOPBACK)), enabled, file(Vhost.UPGRADE_MAP), false);
        assertFalse(plan(args("tls", "off"), off, FakeContext.apply()).changes());
    }

    @Test
    void driftIsShownAsAUnifiedTextDiff() throws Exception {
        String hand = rendered(Serving.HTTPS).replace("proxy_read_timeout 3600s", "proxy_read_timeout 60s");
        Plan p = plan(args(), host(file(hand), link("/etc/nginx/sites-available/vllm"), file(Vhost.UPGRADE_MAP), true), FakeContext.apply());
        assertEquals(List.of(Diff.file("/etc/nginx/sites-available/vllm", hand, rendered(Serving.HTTPS))), p.diffs());
        Plan wrongLink = plan(args(), host(file(rendered(Serving.HTTPS)), link("../sites-available/other"), file(Vhost.UPGRADE_MAP), true),
                FakeContext.apply());
        assertEquals(List.of(Diff.of("/etc/nginx/sites-enabled/vllm", "(symlink to ../sites-available/other)\n",
                "symlink to /etc/nginx/sites-available/vllm\n")), wrongLink.diffs());
    }

    @Test
    void tlsOnWithoutACertificateFailsButACheckRunShowsTheHttpsVhost() throws Exception {
        TaskException e = assertThrows(TaskException.class,
                () -> plan(args("tls", "on"), host("absent\n", "absent\n", "absent\n", false), FakeContext.apply()));
        assertTrue(e.getMessage().startsWith("tls: on, but there is no certificate 'llm.h1.test'"), e.getMessage());
        Plan check = plan(args("tls", "on"), host("absent\n", "absent\n", "absent\n", false), FakeContext.checkMode());
        assertEquals(rendered(Serving.HTTPS), check.diffs().get(0).after());
    }

    @Test
    void aMissingWebrootIsCreatedFirstAndTlsOffNeedsNone() throws Exception {
        FakeFacts f = host("absent\n", "absent\n", "absent\n", false).put("exists:/var/www/moat-acme", "no\n");
        Plan p = plan(args(), f, FakeContext.apply());
        assertEquals("mkdir -p -m 0755 -- /var/www/moat-acme", p.steps().get(0).script());
        assertEquals(new Undo.RestorePath("/var/www/moat-acme"), p.undo().get(0));
        NginxVhost.VhostArgs off = LocalHost.bind(module, args("tls", "off"));
        assertTrue(module.reads(off).stream().noneMatch(r -> r.key().startsWith("exists:/var/www") || r.key().contains("letsencrypt")));
    }

    @Test
    void nginxMustBeInstalledUnlessChecking() throws Exception {
        FakeFacts f = host("absent\n", "absent\n", "absent\n", false).put("exists:/etc/nginx/sites-enabled", "no\n");
        TaskException e = assertThrows(TaskException.class, () -> plan(args(), f, FakeContext.apply()));
        assertTrue(e.getMessage().contains("install nginx"), e.getMessage());
        assertTrue(plan(args(), f, FakeContext.checkMode()).changes());
    }

    @Test
    void disableDefaultRemovesDebiansDefaultLinkOnlyWhenAsked() throws Exception {
        String enabled = link("/etc/nginx/sites-available/vllm");
        FakeFacts f = host(file(rendered(Serving.HTTPS)), enabled, file(Vhost.UPGRADE_MAP), true);
        assertFalse(plan(args(), f, FakeContext.apply()).changes());
        Plan p = plan(args("disable_default", true), f, FakeContext.apply());
        assertEquals(List.of(Diff.of("/etc/nginx/sites-enabled/default", "(symlink to /etc/nginx/sites-available/default)\n", "absent\n")), p.diffs());
        assertTrue(p.steps().get(0).script().contains("rm -f -- /etc/nginx/sites-enabled/default"));
        assertEquals(new Undo.RestorePath("/etc/nginx/sites-enabled/default"), p.undo().get(1));
    }

    @Test
    void anNginxTheReloadStartsIsStoppedAgainByARollbackAndARunningOneIsLeftRunning() throws Exception {
        Map<String, Object> raw = Map.of("name", "vllm", "server_name", "llm.h1.test", "upstream", "127.0.0.1:8000",
                "auth_file", "/etc/nginx/moat.htpasswd");
        FakeFacts stopped = host("absent\n", "absent\n", "absent\n", false)
                .put("service:nginx", "manager=sysv\ninitscript=yes\nstatus=3\nenabled=yes\nbinary=yes\n");
        Plan p = plan(raw, stopped, FakeContext.apply());
        assertEquals(new Undo.RestoreService("nginx", false, null), p.undo().get(0), "replayed last: after the files and the reload");
        Plan q = plan(raw, host("absent\n", "absent\n", "absent\n", false), FakeContext.apply());
        assertTrue(q.undo().stream().noneMatch(u -> u instanceof Undo.RestoreService), "nginx was running: it stays running");
    }

    @Test
    void absentRemovesTheLinkAndTheFileButKeepsTheSharedMap() throws Exception {
        Map<String, Object> raw = Map.of("name", "vllm", "state", "absent");
        FakeFacts f = new FakeFacts().put("file:/etc/nginx/sites-available/vllm", file("x\n"))
                .put("file:/etc/nginx/sites-enabled/vllm", link("/etc/nginx/sites-available/vllm"))
                .put("exists:/etc/nginx/sites-enabled", "yes\n").put("service:nginx", RUNNING);
        Plan p = plan(raw, f, FakeContext.apply());
        assertEquals(List.of(Diff.of("/etc/nginx/sites-enabled/vllm", "(symlink to /etc/nginx/sites-available/vllm)\n", "absent\n"),
                Diff.file("/etc/nginx/sites-available/vllm", "x\n", "")), p.diffs());
        assertFalse(p.steps().get(0).script().contains("moat-upgrade-map"));
        FakeFacts gone = new FakeFacts().put("file:/etc/nginx/sites-available/vllm", "absent\n")
                .put("file:/etc/nginx/sites-enabled/vllm", "absent\n").put("exists:/etc/nginx/sites-enabled", "yes\n")
                .put("service:nginx", RUNNING);
        assertFalse(plan(raw, gone, FakeContext.apply()).changes());
    }

    // ---- for real: the step scripts against a scratch nginx tree, tested by the real nginx -t ----

    @Test
    void installsTestsAndConvergesForReal() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        NginxVhost real = new NginxVhost(layout);
        Map<String, Object> raw = args("acme_webroot", dir.resolve("acme").toString());
        Plan first = LocalHost.converge(real, raw, FakeContext.apply());
        assertEquals(3, first.steps().size(), "webroot, install, reload");
        Path avail = Path.of(layout.available("vllm"));
        assertTrue(Files.readString(avail).contains("return 403;"));
        assertEquals(avail, Files.readSymbolicLink(Path.of(layout.enabled("vllm"))));
        assertEquals(Vhost.UPGRADE_MAP, Files.readString(Path.of(layout.upgradeMap())));
        assertTrue(Files.isDirectory(dir.resolve("acme")));
        try (var s = Files.list(Path.of(layout.etc()))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".moat")), "no temp left behind");
        }
        // the certificate appears: the vhost turns to HTTPS, nginx -t loads the certificate
        NginxT.selfSigned(layout, "llm.h1.test");
        Plan https = LocalHost.converge(real, raw, FakeContext.apply());
        assertEquals(1, https.diffs().size());
        assertTrue(Files.readString(avail).contains("ssl_certificate " + layout.live("llm.h1.test") + "/fullchain.pem;"));
    }

    @Test
    void aVhostNginxRejectsIsRolledBackInsideTheStep() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        NginxVhost real = new NginxVhost(layout);
        Map<String, Object> raw = args("tls", "off");
        LocalHost.converge(real, raw, FakeContext.apply());
        Path avail = Path.of(layout.available("vllm"));
        String good = Files.readString(avail);
        // tls: on with a certificate nginx cannot load: the exists facts see files, nginx -t fails on them
        Path live = Path.of(layout.live("llm.h1.test"));
        Files.createDirectories(live);
        Files.writeString(live.resolve("fullchain.pem"), "not a certificate\n");
        Files.writeString(live.resolve("privkey.pem"), "not a key\n");
        Plan p = LocalHost.plan(real, LocalHost.bind(real, args("tls", "on")), FakeContext.apply());
        FactOutput failed = LocalHost.execute(p);
        assertNotNull(failed);
        assertTrue(failed.errText().startsWith("nginx -t rejected vhost vllm; the previous files are restored:\n"), failed.errText());
        assertTrue(failed.errText().contains("fullchain.pem"), "nginx's own message follows: " + failed.errText());
        assertEquals(good, Files.readString(avail));
        assertEquals(avail, Files.readSymbolicLink(Path.of(layout.enabled("vllm"))));
        assertEquals(0, LocalHost.sh(layout.test(), null).rc(), "nginx's configuration is valid again");
        try (var s = Files.list(Path.of(layout.etc()))) {
            assertTrue(s.noneMatch(x -> x.getFileName().toString().startsWith(".moat")), "no backup left behind");
        }
    }

    @Test
    void aNewVhostNginxRejectsLeavesNoFileBehind() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        NginxVhost real = new NginxVhost(layout);
        Path live = Path.of(layout.live("llm.h1.test"));
        Files.createDirectories(live);
        Files.writeString(live.resolve("fullchain.pem"), "junk\n");
        Files.writeString(live.resolve("privkey.pem"), "junk\n");
        FactOutput failed = LocalHost.execute(LocalHost.plan(real, LocalHost.bind(real, args("tls", "on",
                "acme_webroot", dir.resolve("acme").toString())), FakeContext.apply()));
        assertNotNull(failed);
        assertFalse(Files.exists(Path.of(layout.available("vllm"))));
        assertFalse(Files.exists(Path.of(layout.enabled("vllm")), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(Path.of(layout.upgradeMap())));
    }

    @Test
    void anAlreadyBrokenConfigurationIsNamedAsSuch() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        Files.writeString(Path.of(layout.etc(), "conf.d", "broken.conf"), "this is not nginx;\n");
        NginxVhost real = new NginxVhost(layout);
        FactOutput failed = LocalHost.execute(LocalHost.plan(real, LocalHost.bind(real, args("tls", "off")), FakeContext.apply()));
        assertNotNull(failed);
        assertTrue(failed.errText().contains("already failed without it"), failed.errText());
        assertFalse(Files.exists(Path.of(layout.available("vllm"))));
    }

    @Test
    void absentForReal() throws Exception {
        NginxLayout layout = NginxT.layout(dir);
        NginxVhost real = new NginxVhost(layout);
        LocalHost.converge(real, args("tls", "off"), FakeContext.apply());
        LocalHost.converge(real, Map.of("name", "vllm", "state", "absent"), FakeContext.apply());
        assertFalse(Files.exists(Path.of(layout.available("vllm"))));
        assertFalse(Files.exists(Path.of(layout.enabled("vllm")), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(Path.of(layout.upgradeMap())), "other vhosts may use the map");
    }
}
