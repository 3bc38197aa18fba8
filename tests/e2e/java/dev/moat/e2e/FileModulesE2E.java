package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * The file modules of issue 14 on real hosts: each playbook is applied twice (the first run
 * changes, the second changes nothing), {@code moat check} then exits 0, and
 * {@code moat rollback last} restores the files byte for byte (compared as a checksum listing of
 * /etc/moat-files). {@code get_url} downloads from an HTTP server this test starts on the testbed's
 * bridge (10.77.0.1), so the host fetches it itself.
 */
class FileModulesE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static HttpServer server;
    static final String KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmoat e2e\n-----END PGP PUBLIC KEY BLOCK-----\n";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-files");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        server = HttpServer.create(new InetSocketAddress("10.77.0.1", 0), 0);
        server.createContext("/key.asc", ex -> {
            byte[] b = KEY.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.stop(0);
    }

    @AfterEach
    void cleanUp() {
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -rf /etc/moat-files");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    /** Applies {@code tasks} on h1 over a prepared /etc/moat-files: changes, then none; check 0; rollback restores it. */
    static void twiceThenRollback(String name, String tasks) throws Exception {
        tb.execOk("h1", "mkdir -p /etc/moat-files && printf '[main]\\nport = 80\\n# ExecStart=old\\n' > /etc/moat-files/app.ini"
                + " && printf 'a\\nb\\n' > /etc/moat-files/list.txt && chmod 0640 /etc/moat-files/list.txt");
        String before = tb.checksumListing("h1", "/etc/moat-files").toString();
        Path pb = dir.resolve(name + ".yml");
        Files.writeString(pb, "- hosts: h1\n  tasks:\n" + tasks);
        String inv = tb.inventory().toString();
        ProcResult first = moat("apply", pb.toString(), "-i", inv);
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(first.stdout().matches("(?s).*h1 +: .*changed=[1-9].*"), first.stdout());
        ProcResult second = moat("apply", pb.toString(), "-i", inv);
        assertEquals(0, second.exitCode(), second.describe());
        assertTrue(second.stdout().matches("(?s).*h1 +: .*changed=0.*"), "a second run changes nothing: " + second.stdout());
        ProcResult check = moat("check", pb.toString(), "-i", inv);
        assertEquals(0, check.exitCode(), check.describe());
        ProcResult rb = moat("rollback", "last", "-i", inv);
        assertEquals(0, rb.exitCode(), rb.describe());
        // The second run changed nothing, so "last" with changes is the first; roll back until restored.
        if (!before.equals(tb.checksumListing("h1", "/etc/moat-files").toString())) {
            ProcResult again = moat("rollback", "last", "-i", inv);
            assertEquals(0, again.exitCode(), again.describe());
        }
        assertEquals(before, tb.checksumListing("h1", "/etc/moat-files").toString(), name + ": rollback restores byte for byte");
    }

    @Test
    void replace() throws Exception {
        twiceThenRollback("replace", """
                    - replace: {path: /etc/moat-files/app.ini, regexp: '^# (ExecStart)=.*$', replace: '\\1=/usr/bin/dockerd --ip 127.0.0.1'}
                """);
    }

    @Test
    void blockinfile() throws Exception {
        twiceThenRollback("blockinfile", """
                    - blockinfile:
                        path: /etc/moat-files/list.txt
                        insertafter: '^a$'
                        block: |
                          x
                          y
                    - blockinfile: {path: /etc/moat-files/new.conf, create: true, block: "k=v", mode: "0600"}
                """);
    }

    @Test
    void iniFile() throws Exception {
        twiceThenRollback("ini_file", """
                    - community.general.ini_file: {path: /etc/moat-files/app.ini, section: main, option: port, value: "8080"}
                    - ini_file: {path: /etc/moat-files/app.ini, section: gpu, option: runtime, value: nvidia, mode: "0600"}
                """);
    }

    @Test
    void find() throws Exception {
        tb.execOk("h1", "mkdir -p /etc/moat-files/d && echo needle > /etc/moat-files/d/n.conf");
        Path pb = dir.resolve("find.yml");
        Files.writeString(pb, """
                - hosts: h1
                  tasks:
                    - find: {paths: /etc/moat-files, patterns: "*.conf", recurse: true, contains: needle}
                      register: found
                    - assert:
                        that:
                          - found.matched == 1
                          - found.files[0].path == '/etc/moat-files/d/n.conf'
                          - found.changed == false
                """);
        ProcResult r = moat("apply", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*h1 +: .*changed=0.*"), r.stdout());
    }

    @Test
    void getUrl() throws Exception {
        String url = "http://10.77.0.1:" + server.getAddress().getPort() + "/key.asc";
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        twiceThenRollback("get_url", "    - get_url: {url: \"" + url + "\", dest: /etc/moat-files/key.asc, mode: \"0644\", checksum: \"sha256:" + sha + "\"}\n"
                + "    - get_url: {url: \"" + url + "\", dest: /etc/moat-files/forced.asc, force: true}\n");
    }
}
