package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code unarchive} on a real host: an archive extracted over a directory that already holds one
 * of its files (changed since), a second run that changes nothing, {@code moat check} exiting 0,
 * then {@code moat rollback last} putting /srv/moat-un back byte for byte: the overwritten file
 * restored, the new ones removed.
 */
class UnarchiveE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-unarchive");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    @AfterEach
    void cleanUp() {
        tb.exec("h1", "rm -rf /srv/moat-un /root/moat-un-src");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    /** Makes /root/moat-un-src/app.{tar.gz,zip} (app/bin/run, app/conf) and /srv/moat-un holding an older app/conf. */
    static void prepare() {
        tb.execOk("h1", "rm -rf /srv/moat-un /root/moat-un-src && mkdir -p /root/moat-un-src/c/app/bin /srv/moat-un/app"
                + " && cd /root/moat-un-src/c && printf '#!/bin/sh\\necho hi\\n' > app/bin/run && chmod 755 app/bin/run"
                + " && printf 'port=80\\n' > app/conf && tar -czf ../app.tar.gz app && zip -qr ../app.zip app"
                + " && printf 'port=8080\\nlocal=yes\\n' > /srv/moat-un/app/conf && chmod 600 /srv/moat-un/app/conf"
                + " && printf 'kept\\n' > /srv/moat-un/app/other");
    }

    void extractRerunCheckRollback(String archive) throws Exception {
        prepare();
        String before = tb.checksumListing("h1", "/srv/moat-un").toString();
        Path pb = dir.resolve("un.yml");
        Files.writeString(pb, "- hosts: h1\n  tasks:\n    - unarchive:\n        src: /root/moat-un-src/" + archive
                + "\n        dest: /srv/moat-un\n        remote_src: true\n");
        String inv = tb.inventory().toString();
        ProcResult first = moat("apply", pb.toString(), "-i", inv);
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(first.stdout().matches("(?s).*h1 +: .*changed=1.*"), first.stdout());
        assertEquals("port=80\n", tb.execOk("h1", "cat /srv/moat-un/app/conf"));
        assertEquals("hi\n", tb.execOk("h1", "/srv/moat-un/app/bin/run"));
        ProcResult second = moat("apply", pb.toString(), "-i", inv);
        assertEquals(0, second.exitCode(), second.describe());
        assertTrue(second.stdout().matches("(?s).*h1 +: .*changed=0.*"), "a second run changes nothing: " + second.stdout());
        ProcResult check = moat("check", pb.toString(), "-i", inv);
        assertEquals(0, check.exitCode(), check.describe());
        tb.execOk("h1", "printf 'drift\\n' >> /srv/moat-un/app/conf");
        assertEquals(2, moat("check", pb.toString(), "-i", inv).exitCode(), "a changed file is drift");
        tb.execOk("h1", "printf 'port=80\\n' > /srv/moat-un/app/conf");
        ProcResult rb = moat("rollback", "last", "-i", inv);
        assertEquals(0, rb.exitCode(), rb.describe());
        if (!before.equals(tb.checksumListing("h1", "/srv/moat-un").toString())) {
            ProcResult again = moat("rollback", "last", "-i", inv);
            assertEquals(0, again.exitCode(), again.describe());
        }
        assertEquals(before, tb.checksumListing("h1", "/srv/moat-un").toString(), archive + ": rollback restores byte for byte");
    }

    /** A controller-side archive (the default): made here under the playbook's files/, sent to the host by the step. */
    @Test
    void controllerTarGz() throws Exception {
        prepare();
        String before = tb.checksumListing("h1", "/srv/moat-un").toString();
        Path play = Files.createDirectories(dir.resolve("ctl"));
        Path c = Files.createDirectories(play.resolve("src/app/bin"));
        Files.writeString(c.resolve("run"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(c.resolve("run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(play.resolve("src/app/conf"), "port=80\n");
        Files.createDirectories(play.resolve("files"));
        Process p = new ProcessBuilder("tar", "-czf", play.resolve("files/app.tar.gz").toString(), "-C", play.resolve("src").toString(), "app")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Path pb = play.resolve("un.yml");
        Files.writeString(pb, "- hosts: h1\n  tasks:\n    - unarchive:\n        src: app.tar.gz\n        dest: /srv/moat-un\n");
        String inv = tb.inventory().toString();
        ProcResult first = moat("apply", pb.toString(), "-i", inv);
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(first.stdout().matches("(?s).*h1 +: .*changed=1.*"), first.stdout());
        assertEquals("port=80\n", tb.execOk("h1", "cat /srv/moat-un/app/conf"));
        assertEquals("hi\n", tb.execOk("h1", "/srv/moat-un/app/bin/run"));
        ProcResult second = moat("apply", pb.toString(), "-i", inv);
        assertEquals(0, second.exitCode(), second.describe());
        assertTrue(second.stdout().matches("(?s).*h1 +: .*changed=0.*"), "a second run changes nothing: " + second.stdout());
        assertEquals(0, moat("check", pb.toString(), "-i", inv).exitCode());
        ProcResult rb = moat("rollback", "last", "-i", inv);
        assertEquals(0, rb.exitCode(), rb.describe());
        if (!before.equals(tb.checksumListing("h1", "/srv/moat-un").toString())) {
            ProcResult again = moat("rollback", "last", "-i", inv);
            assertEquals(0, again.exitCode(), again.describe());
        }
        assertEquals(before, tb.checksumListing("h1", "/srv/moat-un").toString(), "rollback restores byte for byte");
    }

    @Test
    void remoteTarGz() throws Exception {
        extractRerunCheckRollback("app.tar.gz");
    }

    @Test
    void remoteZip() throws Exception {
        extractRerunCheckRollback("app.zip");
    }
}
