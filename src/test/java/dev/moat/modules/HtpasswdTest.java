package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.htpasswd.PasswordHashes;

class HtpasswdTest {
    final Htpasswd htpasswd = new Htpasswd();
    static final String PW = "correct horse battery staple";
    static final String PATH = "/etc/nginx/moat.htpasswd";

    // made by Apache's htpasswd 2.4: -m 's3cret pw', -s 'hunter2', -B -C 5 'b0b'
    static final String APR1 = "apiuser:$apr1$R5ossrGQ$UCrTgvZwOdXP2sFFsdcIn/";
    static final String SHA = "old:{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0=";
    static final String BCRYPT = "bob:$2y$05$1Yhz7ZzfX.8DC7MXPd2XCuCfH4b6tvn8dI2wpb05FLO38oVne/Wje";

    static String file(String mode, String group, String content) {
        return "file " + mode + " 0 33 " + content.length() + " root " + group + "\n" + content;
    }

    static FakeFacts facts(String fileOut) {
        return new FakeFacts().put("file:" + PATH, fileOut).put("file:/etc/nginx", "directory 755 0 0 4096 root root\n");
    }

    Plan plan(Map<String, Object> args, FakeFacts f) throws Exception {
        return htpasswd.plan(LocalHost.bind(htpasswd, args), f, FakeContext.apply());
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", PATH);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void hashesAreApacheCompatibleAndVerify() {
        String h = PasswordHashes.bcrypt(PW, 5);
        assertTrue(h.startsWith("$2y$05$") && h.length() == 60, h);
        assertTrue(PasswordHashes.verify(PW, h));
        assertFalse(PasswordHashes.verify(PW + "x", h));
        assertTrue(PasswordHashes.verify("s3cret pw", APR1.substring(8)));
        assertFalse(PasswordHashes.verify("s3cret pW", APR1.substring(8)));
        assertTrue(PasswordHashes.verify("ünïcode", "$apr1$LDCXZnNC$m.8KAeuYZCFD71RfqNPJv/"));
        assertTrue(PasswordHashes.verify("hunter2", SHA.substring(4)));
        assertTrue(PasswordHashes.verify("b0b", BCRYPT.substring(4)));
        assertFalse(PasswordHashes.verify("x", "plaintext"));
        assertFalse(PasswordHashes.verify("x", "$2y$10$garbage"));
    }

    @Test
    void aProcessHashesAPasswordOnceAndVerifiesAHashOnce() {
        String pw = "fleet pw " + System.nanoTime();
        String h = PasswordHashes.bcrypt(pw, 12);
        assertSame(h, PasswordHashes.bcrypt(pw, 12), "every host gets the hash made for the first");
        assertNotEquals(h, PasswordHashes.bcrypt(pw, 4), "another cost, another hash");
        assertNotEquals(h, PasswordHashes.fresh(pw, 4));
        // cost 12 takes hundreds of ms; remembered, a hundred hosts' checks of it take none
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) assertTrue(PasswordHashes.verify(pw, h));
        assertTrue(System.nanoTime() - t0 < 50_000_000L, "remembered, not recomputed");
        assertFalse(PasswordHashes.verify(pw + "x", h), "a wrong password is still refused");
        String other = PasswordHashes.fresh(pw, 4);
        assertTrue(PasswordHashes.verify(pw, other), "a hash made elsewhere is checked for real");
        assertFalse(PasswordHashes.verify("nope", other));
    }

    @Test
    void argumentsAreCheckedAndPasswordsNeverShown() {
        assertTrue(Htpasswd.SPEC.find("users").orElseThrow().secret());
        ArgException empty = assertThrows(ArgException.class, () -> LocalHost.bind(htpasswd, args("users", Map.of("apiuser", ""))));
        assertEquals("the password of user apiuser is empty (an unset environment variable or file?)", empty.getMessage());
        assertEquals("users", assertThrows(ArgException.class, () -> LocalHost.bind(htpasswd, args("users", Map.of("a:b", PW)))).arg());
        assertEquals("cost", assertThrows(ArgException.class, () -> LocalHost.bind(htpasswd, args("users", Map.of("a", PW), "cost", 3))).arg());
        assertEquals("path", assertThrows(ArgException.class, () -> LocalHost.bind(htpasswd, Map.of("path", "rel", "users", Map.of("a", PW)))).arg());
        ArgException notMap = assertThrows(ArgException.class, () -> Args.check(Htpasswd.SPEC, Map.of("path", PATH, "users", PW)));
        assertFalse(notMap.getMessage().contains(PW), notMap.getMessage());
    }

    @Test
    void aNewFileIsOneSensitiveAtomicWriteWithoutThePlaintextAnywhere() throws Exception {
        Htpasswd.HtpasswdArgs a = LocalHost.bind(htpasswd, args("users", Map.of("apiuser", PW), "cost", 5));
        Plan p = htpasswd.plan(a, facts("absent\n"), FakeContext.apply());
        assertEquals(1, p.steps().size());
        Step s = p.steps().get(0);
        assertTrue(s.sensitive());
        String content = new String(s.stdin(), StandardCharsets.UTF_8);
        assertTrue(content.matches("apiuser:\\$2y\\$05\\$[./A-Za-z0-9]{53}\n"), content);
        assertTrue(PasswordHashes.verify(PW, content.substring(8).strip()));
        assertTrue(s.script().startsWith("getent passwd root >/dev/null || { echo 'user '\\''root'\\'' does not exist on this host (set owner:)' >&2; exit 1; }\n"
                + "getent group www-data >/dev/null || {"), s.script());
        assertTrue(s.script().contains("chmod 0640 \"$t/new\"\nchown -h root:www-data \"$t/new\"\nmv -fT -- \"$t/new\" \"$f\""), s.script());
        assertEquals(List.of(Diff.of(PATH, "", "apiuser: (new hash)\n")), p.diffs());
        assertEquals(List.of(new Undo.RestorePath(PATH)), p.undo());
        assertEquals(Set.of("file:" + PATH), p.touches());
        assertEquals(List.of("apiuser"), p.result().get("added"));
        String everything = p + " " + p.steps() + " " + s.script() + " " + s.describe() + " " + content + " " + p.diffs() + " " + p.result()
                + " " + a + " " + p.message();
        assertFalse(everything.contains(PW), "the plaintext appears in the plan");
        assertFalse(everything.contains("horse"));
        assertFalse(p.diffs().toString().contains("$2y$"), "no hash in the diff");
    }

    @Test
    void verifiedHashesOfEveryKindAreKept() throws Exception {
        String text = APR1 + "\n" + SHA + "\n" + BCRYPT + "\n";
        Plan p = plan(args("users", Map.of("apiuser", "s3cret pw", "old", "hunter2", "bob", "b0b")), facts(file("640", "www-data", text)));
        assertFalse(p.changes(), () -> p.steps().toString());
        assertTrue(p.diffs().isEmpty());
    }

    @Test
    void onlyWrongEntriesAreRehashedOthersKeptByteForByte() throws Exception {
        String text = "# team\n" + APR1 + "\n" + SHA + "\n" + BCRYPT + "\n";
        Plan p = plan(args("users", Map.of("apiuser", "new pw", "carol", "c4rol"), "cost", 4), facts(file("640", "www-data", text)));
        String content = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        String[] lines = content.split("\n");
        assertEquals("# team", lines[0]);
        assertTrue(lines[1].startsWith("apiuser:$2y$04$") && PasswordHashes.verify("new pw", lines[1].substring(8)));
        assertEquals(SHA, lines[2]);
        assertEquals(BCRYPT, lines[3]);
        assertTrue(lines[4].startsWith("carol:$2y$04$"));
        assertEquals(List.of(Diff.of(PATH, "apiuser: (hash)\nold: (hash)\nbob: (hash)\n",
                "apiuser: (new hash)\nold: (hash)\nbob: (hash)\ncarol: (new hash)\n")), p.diffs());
        assertEquals(Map.of("added", List.of("carol"), "changed", List.of("apiuser"), "removed", List.of()), p.result());
    }

    @Test
    void exclusiveRemovesUnlistedUsers() throws Exception {
        String text = APR1 + "\n" + SHA + "\n";
        Plan p = plan(args("users", Map.of("apiuser", "s3cret pw"), "exclusive", true), facts(file("640", "www-data", text)));
        assertEquals(APR1 + "\n", new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
        assertEquals(List.of(Diff.of(PATH, "apiuser: (hash)\nold: (hash)\n", "apiuser: (hash)\n")), p.diffs());
        assertEquals(List.of("old"), p.result().get("removed"));
    }

    @Test
    void attributesAloneAreFixedWithoutRewriting() throws Exception {
        Plan p = plan(args("users", Map.of("apiuser", "s3cret pw")), facts(file("644", "root", APR1 + "\n")));
        String checks = Htpasswd.accountChecks(new Attrs("0640", "root", "www-data"));
        assertEquals(List.of(checks + "chmod 0640 -- " + PATH, checks + "chown -h :www-data -- " + PATH), p.steps().stream().map(Step::script).toList());
        assertEquals(List.of(Diff.of(PATH, "mode 0644, group root", "mode 0640, group www-data")), p.diffs());
        // a rewrite of a file with wrong attributes shows both
        Plan both = plan(args("users", Map.of("apiuser", "other")), facts(file("644", "root", APR1 + "\n")));
        assertEquals(2, both.diffs().size());
        assertEquals(Diff.of(PATH, "mode 0644, group root", "mode 0640, group www-data"), both.diffs().get(1));
    }

    @Test
    void aMissingGroupIsAClearFailureWhenTheStepRunsAndTheFileIsLeftAlone() throws Exception {
        Path f = dir.resolve("h");
        Files.writeString(f, APR1 + "\n");
        Htpasswd.HtpasswdArgs a = LocalHost.bind(htpasswd, args("path", f.toString(), "users", Map.of("apiuser", PW), "group", "moat-no-such-group"));
        Plan p = LocalHost.plan(htpasswd, a, FakeContext.apply());
        FactOutput failed = LocalHost.execute(p);
        assertNotNull(failed);
        assertEquals("group 'moat-no-such-group' does not exist on this host (install the web server first, or set group:)\n", failed.errText());
        assertEquals(APR1 + "\n", Files.readString(f));
        assertTrue(htpasswd.reads(a).stream().noneMatch(x -> x.key().startsWith("getent")),
                "checked when the step runs: an earlier task may create the group");
        assertEquals("", Htpasswd.accountChecks(new Attrs("0640", "0", "33")), "numeric ids need no check");
    }

    // ---- for real, through sh, checked with Apache's htpasswd ----

    @TempDir
    Path dir;

    @Test
    void writesForRealApacheVerifiesAndARerunIsEmpty() throws Exception {
        assumeTrue(LocalHost.sh("command -v htpasswd", null).rc() == 0, "needs htpasswd (apache2-utils)");
        Path f = dir.resolve("vault.htpasswd");
        Map<String, Object> raw = args("path", f.toString(), "users", Map.of("apiuser", PW, "ops", "pa$$ 'quoted' \"pw\""), "group", "root");
        Plan p = LocalHost.converge(htpasswd, raw, FakeContext.apply());
        assertTrue(p.changes());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(0, LocalHost.sh("htpasswd -vb " + f + " apiuser '" + PW + "'", null).rc());
        assertEquals(0, LocalHost.sh("htpasswd -vb " + f + " ops 'pa$$ '\\''quoted'\\'' \"pw\"'", null).rc());
        assertNotEquals(0, LocalHost.sh("htpasswd -vb " + f + " apiuser wrong", null).rc());
        // users added by hand stay; exclusive removes them
        assertEquals(0, LocalHost.sh("htpasswd -bm " + f + " manual 'by hand'", null).rc());
        assertFalse(LocalHost.plan(htpasswd, LocalHost.bind(htpasswd, raw), FakeContext.apply()).changes());
        raw.put("exclusive", true);
        LocalHost.converge(htpasswd, raw, FakeContext.apply());
        assertFalse(Files.readString(f).contains("manual:"));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    @Test
    void nginxAcceptsTheHashes() throws Exception {
        assumeTrue(LocalHost.sh("test -x /usr/sbin/nginx && getent group www-data && [ $(id -u) = 0 ]", null).rc() == 0,
                "needs nginx, root and www-data");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = dir.resolve("vault.htpasswd");
        LocalHost.converge(htpasswd, args("path", f.toString(), "users", Map.of("apiuser", PW), "cost", 5), FakeContext.apply());
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("nginx.conf"), "user www-data www-data;\nworker_processes 1;\nerror_log " + dir + "/logs/error.log;\n"
                + "pid " + dir + "/nginx.pid;\nevents {}\nhttp {\n access_log off;\n client_body_temp_path " + dir + "/tmp;\n"
                + " server {\n  listen 127.0.0.1:" + port + ";\n  auth_basic vault;\n  auth_basic_user_file " + f + ";\n"
                + "  location / { root " + dir.resolve("www") + "; }\n }\n}\n");
        // (not 'return 200': return runs before auth_basic's access phase)
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "in\n");
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + "/");
            int anon = -1;
            for (int i = 0; i < 50 && anon < 0; i++) {
                try {
                    anon = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals(401, anon);
            String good = java.util.Base64.getEncoder().encodeToString(("apiuser:" + PW).getBytes(StandardCharsets.UTF_8));
            String bad = java.util.Base64.getEncoder().encodeToString("apiuser:wrong".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Basic " + good).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Basic " + bad).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            nginx.destroy();
            nginx.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            nginx.destroyForcibly();
        }
    }
}
