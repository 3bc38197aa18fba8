package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.nginx.CertbotCommand;
import dev.moat.transport.Sh;

class CertbotTest {
    /** The fixture certificate ends 2027-01-15T12:00:00Z. */
    static final Instant END = Instant.parse("2027-01-15T12:00:00Z");
    static final String SYSTEMD_TIMER_ON = "manager=systemd\nload=loaded\nactive=active\nenabled=enabled\n";
    static final String SYSTEMD_TIMER_OFF = "manager=systemd\nload=loaded\nactive=inactive\nenabled=disabled\n";
    static final String SYSV = "manager=sysv\n";
    static final String CERT = "/etc/letsencrypt/live/api.h1.test/cert.pem";

    @TempDir
    Path dir;

    static Certbot at(Instant now) {
        return new Certbot(Clock.fixed(now, ZoneOffset.UTC));
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>(Map.of("domains", List.of("api.h1.test", "www.h1.test"), "email", "ops@h1.test"));
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static String x509() throws Exception {
        try (InputStream in = CertbotTest.class.getResourceAsStream("/nginx/x509-api.h1.test.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String file(String mode, String content) {
        return "file " + mode + " 0 0 " + content.getBytes(StandardCharsets.UTF_8).length + " root root\n" + content;
    }

    /** A host where everything but the certificate (given as the openssl fact's output) is already in place. */
    static FakeFacts host(String cert, boolean systemd, String timer) throws Exception {
        Certbot.CertbotArgs a = LocalHost.bind(new Certbot(), args());
        return new FakeFacts()
                .put("x509:" + CERT, cert)
                .put("cmd:systemd", systemd ? "yes\n" : "no\n")
                .put("service:certbot.timer", timer)
                .put("file:" + Certbot.CRON, systemd ? "absent\n" : file("644", Certbot.cron(a, "h1")))
                .put("file:" + Certbot.HOOK, file("755", Certbot.hookScript(a)))
                .put("exists:/var/www/moat-acme", "yes\n");
    }

    static List<String> describes(Plan p) {
        return p.steps().stream().map(Step::describe).toList();
    }

    private static Plan plan(Certbot m, Map<String, Object> raw, FakeFacts f, FakeContext ctx) throws Exception {
        return m.plan(LocalHost.bind(m, raw), f, ctx);
    }

    @Test
    void argumentsAreChecked() {
        Certbot m = new Certbot();
        assertEquals("email", assertThrows(ArgException.class, () -> LocalHost.bind(m, Map.of("domains", "a.test"))).arg());
        assertEquals("email", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("email", "ops"))).arg());
        assertEquals("domains", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("domains", List.of("*.h1.test")))).arg());
        assertEquals("domains", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("domains", List.of("a;b.test")))).arg());
        assertEquals("domains", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("domains", List.of()))).arg());
        assertEquals("acme_server", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("acme_server", "http://ca/dir"))).arg());
        assertTrue(assertThrows(ArgException.class, () -> LocalHost.bind(m, args("acme_server", "https://ca/dir", "staging", true)))
                .getMessage().contains("mutually exclusive"));
        assertEquals("authenticator", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("authenticator", "standalone"))).arg());
        assertEquals("cert_name", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("cert_name", "../x"))).arg());
        assertEquals("webroot", assertThrows(ArgException.class, () -> LocalHost.bind(m, args("webroot", "acme"))).arg());
    }

    // ---- the certonly command line, per argument combination ----

    private static String line(Map<String, Object> raw, boolean renew) throws Exception {
        return Certbot.command(LocalHost.bind(new Certbot(), raw), renew).commandLine();
    }

    @Test
    void commandLines() throws Exception {
        String base = "certbot certonly --non-interactive --agree-tos --no-eff-email -m ops@h1.test --cert-name api.h1.test";
        assertEquals(base + " --key-type ecdsa -d api.h1.test -d www.h1.test --webroot -w /var/www/moat-acme", line(args(), false));
        assertEquals("REQUESTS_CA_BUNDLE=/etc/moat/acme-ca.pem " + base
                        + " --key-type ecdsa -d api.h1.test -d www.h1.test --webroot -w /var/www/moat-acme --server https://10.77.0.1:14000/dir",
                line(args("acme_server", "https://10.77.0.1:14000/dir", "ca_bundle", "pebble.pem"), false));
        assertEquals(base + " --key-type rsa -d api.h1.test -d www.h1.test --nginx --staging",
                line(args("authenticator", "nginx", "staging", true, "key_type", "rsa"), false));
        assertEquals("certbot certonly --non-interactive --agree-tos --no-eff-email -m ops@h1.test --cert-name vault"
                        + " --key-type ecdsa -d api.h1.test --webroot -w '/srv/acme root' --force-renewal",
                line(args("domains", "API.h1.test, api.h1.test", "cert_name", "vault", "webroot", "/srv/acme root"), true));
        assertTrue(line(args("acme_server", "https://ca.test/dir?a=1&b=2"), false).endsWith("--server 'https://ca.test/dir?a=1&b=2'"),
                "everything is quoted for sh");
    }

    // ---- ok when the certificate covers the domains with more than 30 days left ----

    @Test
    void moreThanThirtyDaysLeftIsConverged() throws Exception {
        Plan p = plan(at(END.minusSeconds(31 * 86400L)), args(), host(x509(), true, SYSTEMD_TIMER_ON), FakeContext.apply());
        assertFalse(p.changes(), describes(p).toString());
        assertEquals(31L, p.result().get("days_left"));
        assertEquals("2027-01-15T12:00:00Z", p.result().get("not_after"));
    }

    @Test
    void thirtyDaysOrFewerRenewsForcedAndRunsTheDeployHook() throws Exception {
        Plan p = plan(at(END.minusSeconds(30 * 86400L)), args(), host(x509(), true, SYSTEMD_TIMER_ON), FakeContext.apply());
        assertEquals(List.of("renew certificate api.h1.test (api.h1.test, www.h1.test)"), describes(p));
        String s = p.steps().get(0).script();
        assertTrue(s.contains(" --force-renewal"), s);
        assertTrue(s.contains("    " + Certbot.HOOK + "\n    exit 0"), s);
        assertEquals(List.of(Diff.of("certificate api.h1.test", "api.h1.test, www.h1.test; 30 days left\n",
                "api.h1.test, www.h1.test; new from Let's Encrypt\n")), p.diffs());
        assertEquals(List.of(new Undo.RestorePath("/etc/letsencrypt"), new Undo.Irreversible(
                "certificate issued by the ACME server for api.h1.test, www.h1.test (a rollback deletes it on the host; the CA issued and logged it)")), p.undo());
        assertTrue(p.touches().containsAll(List.of("file:/etc/letsencrypt", "x509:" + CERT)));
        Plan expired = plan(at(END.plusSeconds(86400)), args(), host(x509(), true, SYSTEMD_TIMER_ON), FakeContext.apply());
        assertTrue(expired.diffs().get(0).before().contains("expired"));
    }

    @Test
    void aMissingDomainExpandsWithoutForcingAndAnAbsentCertificateIsObtained() throws Exception {
        Certbot m = at(END.minusSeconds(60 * 86400L));
        Plan expand = plan(m, args("domains", List.of("api.h1.test", "new.h1.test")), host(x509(), true, SYSTEMD_TIMER_ON), FakeContext.apply());
        assertEquals(List.of("expand certificate api.h1.test (api.h1.test, new.h1.test)"), describes(expand));
        assertFalse(expand.steps().get(0).script().contains("--force-renewal"));
        assertTrue(expand.diffs().get(0).before().endsWith("lacks new.h1.test\n"), expand.diffs().get(0).before());
        Plan fresh = plan(m, args(), host("absent\n", true, SYSTEMD_TIMER_ON), FakeContext.apply());
        assertEquals(List.of("obtain certificate api.h1.test (api.h1.test, www.h1.test)"), describes(fresh));
        assertEquals("absent\n", fresh.diffs().get(0).before());
        assertFalse(fresh.steps().get(0).script().contains(Certbot.HOOK), "a first issuance has nothing to reload");
    }

    @Test
    void anUnreadableCertificateFailsTheTaskNamingIt() throws Exception {
        FakeFacts f = host("", true, SYSTEMD_TIMER_ON).put("x509:" + CERT, new FactOutput(1, new byte[0], "unable to load certificate\n".getBytes()));
        TaskException e = assertThrows(TaskException.class, () -> plan(new Certbot(), args(), f, FakeContext.apply()));
        assertEquals("cannot read certificate " + CERT + " with openssl: unable to load certificate", e.getMessage());
    }

    // ---- renewal scheduled: systemd timer or cron; deploy hook ----

    @Test
    void systemdHostsEnableThePackagesTimer() throws Exception {
        Certbot m = at(END.minusSeconds(60 * 86400L));
        Plan p = plan(m, args(), host(x509(), true, SYSTEMD_TIMER_OFF), FakeContext.apply());
        assertEquals(List.of("systemctl enable --now certbot.timer"), p.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.RestoreService("certbot.timer", false, false)), p.undo());
        assertEquals(List.of(Diff.of("service certbot.timer", "stopped, disabled at boot\n", "running, enabled at boot\n")), p.diffs());
        assertFalse(m.reads(LocalHost.bind(m, args())).stream().anyMatch(r -> r.key().equals("file:" + Certbot.DROPIN)));
    }

    @Test
    void systemdWithAPrivateCaGivesTheRenewalServiceTheBundle() throws Exception {
        Path files = dir.resolve("files");
        Files.createDirectories(files);
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        Files.writeString(files.resolve("pebble.pem"), pem);
        Certbot m = at(END.minusSeconds(60 * 86400L));
        FakeFacts f = host(x509(), true, SYSTEMD_TIMER_ON).put("file:" + Certbot.CA_BUNDLE, file("644", pem))
                .put("file:/etc/moat", "directory 755 0 0 4096 root root\n").put("file:" + Certbot.DROPIN, "absent\n");
        Map<String, Object> raw = args("ca_bundle", "pebble.pem", "acme_server", "https://10.77.0.1:14000/dir");
        Plan p = plan(m, raw, f, new FakeContext(false, dir));
        assertEquals(List.of("write certbot.service drop-in " + Certbot.DROPIN, "systemctl daemon-reload"), describes(p));
        assertTrue(new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8)
                .endsWith("[Service]\nEnvironment=REQUESTS_CA_BUNDLE=/etc/moat/acme-ca.pem\n"));
        assertEquals(List.of(new Undo.RestorePath(Certbot.DROPIN)), p.undo());
    }

    @Test
    void hostsWithoutSystemdGetACronEntry() throws Exception {
        Certbot m = at(END.minusSeconds(60 * 86400L));
        FakeFacts f = host(x509(), false, SYSV).put("file:" + Certbot.CRON, "absent\n");
        Plan p = plan(m, args(), f, FakeContext.apply());
        assertEquals(List.of("write renewal cron entry " + Certbot.CRON), describes(p));
        String cron = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        int minute = Math.floorMod("h1".hashCode(), 60);
        assertTrue(cron.endsWith("\n" + minute + " 0,12 * * * root certbot renew -q\n"), cron);
        assertEquals(List.of(new Undo.RestorePath(Certbot.CRON)), p.undo());
        assertTrue(Certbot.cron(LocalHost.bind(m, args("ca_bundle", "x.pem")), "h1")
                .contains(" root REQUESTS_CA_BUNDLE=/etc/moat/acme-ca.pem certbot renew -q\n"));
        // a systemd host without the package's timer (certbot from pip or snap) falls back to cron too
        FakeFacts noTimer = host(x509(), true, "manager=systemd\nload=not-found\nactive=inactive\nenabled=\n").put("file:" + Certbot.CRON, "absent\n");
        assertEquals(List.of("write renewal cron entry " + Certbot.CRON), describes(plan(m, args(), noTimer, FakeContext.apply())));
    }

    @Test
    void theDeployHookIsWrittenExecutableAndCanBeReplaced() throws Exception {
        Certbot m = at(END.minusSeconds(60 * 86400L));
        Plan p = plan(m, args(), host(x509(), true, SYSTEMD_TIMER_ON).put("file:" + Certbot.HOOK, "absent\n"), FakeContext.apply());
        assertEquals(List.of("write deploy hook " + Certbot.HOOK), describes(p));
        String hook = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        assertTrue(hook.startsWith("#!/bin/sh\n") && hook.contains("nginx -s reload") && hook.contains("systemctl reload nginx"), hook);
        assertTrue(p.steps().get(0).script().contains("chmod 0755"));
        Plan custom = plan(m, args("deploy_hook", "service haproxy reload"),
                host(x509(), true, SYSTEMD_TIMER_ON), FakeContext.apply());
        assertTrue(new String(custom.steps().get(0).stdin(), StandardCharsets.UTF_8).endsWith("\nservice haproxy reload\n"));
        Plan wrongMode = plan(m, args(), host(x509(), true, SYSTEMD_TIMER_ON)
                .put("file:" + Certbot.HOOK, file("644", Certbot.hookScript(LocalHost.bind(m, args())))), FakeContext.apply());
        assertEquals(List.of(Diff.file(Certbot.HOOK, Certbot.hookScript(LocalHost.bind(m, args())), Certbot.hookScript(LocalHost.bind(m, args()))),
                Diff.of(Certbot.HOOK, "mode 0644", "mode 0755")), wrongMode.diffs());
    }

    @Test
    void theCaBundleIsUploadedFromTheControllerOnce() throws Exception {
        Path files = dir.resolve("files");
        Files.createDirectories(files);
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        Files.writeString(files.resolve("pebble.pem"), pem);
        Certbot m = at(END.minusSeconds(60 * 86400L));
        Map<String, Object> raw = args("ca_bundle", "pebble.pem");
        FakeFacts fresh = host(x509(), false, SYSV).put("file:" + Certbot.CA_BUNDLE, "absent\n").put("file:/etc/moat", "absent\n")
                .put("file:" + Certbot.CRON, file("644", Certbot.cron(LocalHost.bind(m, raw), "h1")));
        Plan p = plan(m, raw, fresh, new FakeContext(false, dir));
        assertEquals(List.of("upload ACME CA bundle to /etc/moat/acme-ca.pem"), describes(p));
        assertArrayEquals(pem.getBytes(StandardCharsets.UTF_8), p.steps().get(0).stdin());
        assertTrue(p.steps().get(0).script().startsWith("mkdir -p -m 0755 /etc/moat\n"));
        assertEquals(List.of(new Undo.RestorePath("/etc/moat")), p.undo(), "the directory it creates goes with it");
        FakeFacts same = fresh.put("file:" + Certbot.CA_BUNDLE, file("644", pem)).put("file:/etc/moat", "directory 755 0 0 4096 root root\n");
        assertFalse(plan(m, raw, same, new FakeContext(false, dir)).changes());
        Files.writeString(files.resolve("key.pem"), pem + "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n");
        assertTrue(assertThrows(TaskException.class, () -> plan(m, args("ca_bundle", "key.pem"), same, new FakeContext(false, dir)))
                .getMessage().contains("private key"));
        TaskException missing = assertThrows(TaskException.class, () -> plan(m, args("ca_bundle", "nope.pem"), same, new FakeContext(false, dir)));
        assertTrue(missing.getMessage().contains(files.resolve("nope.pem").toString()), missing.getMessage());
    }

    // ---- the issuance step for real, with a stand-in certbot on PATH ----

    private FactOutput runWithFakeCertbot(String certbotBody, String script) throws Exception {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path fake = bin.resolve("certbot");
        Files.writeString(fake, "#!/bin/sh\n" + certbotBody);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return LocalHost.sh("PATH=" + Sh.q(bin.toString()) + ":$PATH\n" + script, null);
    }

    private static String issueScript(Map<String, Object> raw) throws Exception {
        Plan p = plan(at(END.minusSeconds(60 * 86400L)), raw, host("absent\n", true, SYSTEMD_TIMER_ON), FakeContext.apply());
        return p.steps().get(0).script();
    }

    @Test
    void aFailedIssuanceSaysWhichDomainAndWhatTheCaReported() throws Exception {
        String failure = "cat >&2 <<'EOF'\nSaving debug log to /var/log/letsencrypt/letsencrypt.log\n"
                + "Requesting a certificate for api.h1.test and www.h1.test\n\n"
                + "Certbot failed to authenticate some domains (authenticator: webroot). The Certificate Authority reported these problems:\n"
                + "  Domain: www.h1.test\n  Type:   unauthorized\n"
                + "  Detail: 10.77.0.11: Invalid response from http://www.h1.test/.well-known/acme-challenge/x: 404\n\n"
                + "Hint: The Certificate Authority failed to download the temporary challenge files created by Certbot.\n\n"
                + "Some challenges have failed.\n"
                + "Ask for help or search for solutions at https://community.letsencrypt.org. See the logfile /var/log/letsencrypt/letsencrypt.log or re-run Certbot with -v for more details.\n"
                + "EOF\nexit 1\n";
        FactOutput r = runWithFakeCertbot(failure, issueScript(args("acme_server", "https://10.77.0.1:14000/dir")));
        assertEquals(1, r.rc());
        String msg = r.errText();
        assertTrue(msg.startsWith("certbot could not obtain certificate api.h1.test for api.h1.test, www.h1.test from https://10.77.0.1:14000/dir: "), msg);
        assertTrue(msg.contains("Domain: www.h1.test Type:   unauthorized Detail: 10.77.0.11: Invalid response from"), msg);
        assertFalse(msg.contains("Ask for help") || msg.contains("Saving debug log"), msg);
        assertEquals(1, msg.strip().split("\n").length, "one paragraph: " + msg);
        assertEquals("", r.text());
    }

    @Test
    void anUnrecognisedFailureShowsCertbotsLastLinesButNeverAKey() throws Exception {
        FactOutput r = runWithFakeCertbot("echo 'line one'\necho '-----BEGIN PRIVATE KEY-----'\necho 'The server said no'\nexit 2\n",
                issueScript(args()));
        assertEquals(1, r.rc());
        assertTrue(r.errText().contains("from Let's Encrypt: line one The server said no"), r.errText());
        assertFalse(r.errText().contains("PRIVATE KEY"));
    }

    @Test
    void aSuccessfulIssuanceIsQuietAndPassesTheArguments() throws Exception {
        String script = Certbot.command(LocalHost.bind(new Certbot(), args("ca_bundle", "x.pem", "acme_server", "https://ca.test/dir")), false).script();
        FactOutput r = runWithFakeCertbot("echo \"$REQUESTS_CA_BUNDLE $*\" > " + Sh.q(dir.resolve("argv").toString()) + "\necho noise\n", script);
        assertEquals(0, r.rc(), r.errText());
        assertEquals("", r.text() + r.errText());
        String argv = Files.readString(dir.resolve("argv"));
        assertTrue(argv.startsWith("/etc/moat/acme-ca.pem certonly --non-interactive"), argv);
        assertTrue(argv.contains("--server https://ca.test/dir"), argv);
    }

    @Test
    void theRealCertbotsFailureIsReducedToOneLine() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/certbot")), "certbot is not installed here");
        Files.createDirectories(dir.resolve("webroot"));
        // the real certbot, kept out of /etc/letsencrypt, against a loopback port nobody listens on
        String wrapper = "exec /usr/bin/certbot \"$@\" --config-dir " + Sh.q(dir + "/c") + " --work-dir " + Sh.q(dir + "/w")
                + " --logs-dir " + Sh.q(dir + "/l") + "\n";
        String script = Certbot.command(LocalHost.bind(new Certbot(), args("acme_server", "https://127.0.0.1:1/dir",
                "webroot", dir.resolve("webroot").toString())), false).script();
        FactOutput r = runWithFakeCertbot(wrapper, script);
        assertEquals(1, r.rc());
        assertEquals("certbot could not obtain certificate api.h1.test for api.h1.test, www.h1.test from https://127.0.0.1:1/dir:"
                + " An unexpected error occurred: ValueError: Requesting 127.0.0.1/dir: Connection refused\n", r.errText());
    }

    @Test
    void aHostWithoutCertbotIsToldSo() throws Exception {
        String script = new CertbotCommand("a.test", List.of("a.test"), "o@a.test", null, false, "nginx", "/w", "ecdsa", null, false, null).script();
        FactOutput r = LocalHost.sh("PATH=/nonexistent\n" + script, null);
        assertEquals(1, r.rc());
        assertEquals("certbot is not installed on this host (Debian package certbot and python3-certbot-nginx)\n", r.errText());
    }
}
