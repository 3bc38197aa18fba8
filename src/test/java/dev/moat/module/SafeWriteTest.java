package dev.moat.module;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write every module uses, run as root with the local sh on real directories: root never
 * writes through another user's directory.
 */
class SafeWriteTest {
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (chown, runuser)");
        // Under the system's temporary directory, which is sticky (as /tmp is everywhere): the test
        // does not depend on who owns the directories above the checkout.
        root = Files.createTempDirectory("safewrite");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (root == null) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private record Result(int rc, String err) {}

    private static Result run(String script, String stdin) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), err);
    }

    private static void chown(Path p, String who) throws Exception {
        assertEquals(0, new ProcessBuilder("chown", "-h", who, p.toString()).start().waitFor());
    }

    private static String owner(Path p) throws IOException {
        return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
    }

    @Test
    void aRootFileIsReplacedKeepingModeAndOwnerAndNoTempIsLeft() throws Exception {
        Path f = root.resolve("docker-compose.yml");
        Files.writeString(f, "old\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        chown(f, "root:nogroup");
        Result r = run(SafeWrite.replace(f.toString(), null, "test"), "new\n");
        assertEquals(0, r.rc(), r.err());
        assertEquals("new\n", Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("nogroup", Files.readAttributes(f, PosixFileAttributes.class).group().getName());
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(1, s.count(), "no temp directory left");
        }
    }

    @Test
    void underAUsersDirectoryTheWriteRunsAsThatUser() throws Exception {
        Path home = Files.createDirectories(root.resolve("home/nobody/app"));
        chown(home, "nobody:nogroup");
        Path f = home.resolve("docker-compose.yml");
        Files.writeString(f, "old\n");
        chown(f, "nobody:nogroup");
        Result r = run(SafeWrite.replace(f.toString(), null, "test"), "new\n");
        assertEquals(0, r.rc(), r.err());
        assertEquals("new\n", Files.readString(f));
        assertEquals("nobody", owner(f), "written as nobody, so still nobody's");
    }

    @Test
    void aUserLoggedInAsThemselvesWritesTheirOwnDirectoryWithoutRunuser() throws Exception {
        // A task's remote_user without become: the script runs as that user, who may not use runuser
        // (and whose PATH, like deploy's over SSH, has no /usr/sbin).
        Path home = Files.createDirectories(root.resolve("home/nobody"));
        chown(home, "nobody:nogroup");
        Path f = home.resolve("new.txt");
        Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "env", "PATH=/usr/bin:/bin", "/bin/sh", "-c",
                SafeWrite.create(f.toString(), "", "test")).start();
        p.getOutputStream().write("mine\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("mine\n", Files.readString(f));
        assertEquals("nobody", owner(f));
    }

    @Test
    void aLinkAUserPlantedAtARootFileIsNeverFollowedAsRoot() throws Exception {
        Path secret = Files.createDirectories(root.resolve("etc")).resolve("shadow.yml");
        Files.writeString(secret, "root's\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path home = Files.createDirectories(root.resolve("home/nobody"));
        chown(home, "nobody:nogroup");
        Path link = home.resolve("docker-compose.yml");
        Files.createSymbolicLink(link, secret);
        chown(link, "nobody:nogroup");
        Result r = run(SafeWrite.replace(link.toString(), null, "test"), "pwned\n");
        assertNotEquals(0, r.rc());
        assertTrue(r.err().contains("moat will not write it as root"), r.err());
        assertEquals("root's\n", Files.readString(secret));
        assertEquals("root", owner(secret));
        // A root-owned file in the user's own directory is refused too: the user could swap it mid-write.
        Path rootsFile = home.resolve("compose.yml");
        Files.writeString(rootsFile, "old\n");
        r = run(SafeWrite.replace(rootsFile.toString(), null, "test"), "new\n");
        assertNotEquals(0, r.rc());
        assertEquals("old\n", Files.readString(rootsFile));
    }

    @Test
    void aDirectoryAnyoneCanWriteIsRefused() throws Exception {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path f = shared.resolve("compose.yml");
        Files.writeString(f, "old\n");
        Result r = run(SafeWrite.replace(f.toString(), null, "test"), "new\n");
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("can be written by anyone"), r.err());
        assertEquals("old\n", Files.readString(f));
    }

    @Test
    void aConcurrentEditIsNeverOverwritten() throws Exception {
        Path f = root.resolve("compose.yml");
        Files.writeString(f, "edited by someone\n");
        Result r = run(SafeWrite.replace(f.toString(), "0".repeat(64), "compose_ports"), "new\n");
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("changed since it was read"), r.err());
        assertEquals("edited by someone\n", Files.readString(f));
    }

    @Test
    void aStickyDirectoryLikeTmpIsSafeAndAPlantedLinkIsReplacedNotFollowed() throws Exception {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        assertEquals(0, new ProcessBuilder("chmod", "1777", tmp.toString()).start().waitFor());
        Path secret = Files.createDirectories(root.resolve("etc")).resolve("passwd");
        Files.writeString(secret, "root's\n");
        Path planted = tmp.resolve("report.txt");
        Files.createSymbolicLink(planted, secret);
        chown(planted, "nobody:nogroup");
        Result r = run(SafeWrite.create(planted.toString(), "", "write"), "mine\n");
        assertEquals(0, r.rc(), r.err());
        assertFalse(Files.isSymbolicLink(planted), "the link itself was replaced");
        assertEquals("mine\n", Files.readString(planted));
        assertEquals("root's\n", Files.readString(secret), "never written through the link");
        assertEquals("root", owner(planted));
    }

    @Test
    void aNewFileGetsTheUmaskModeAndTheAttributesGivenOnTheTemporaryFile() throws Exception {
        Path f = root.resolve("new.conf");
        Result r = run("umask 022; " + SafeWrite.create(f.toString(), "chmod 0600 \"$t/new\"\n", "write"), "x\n");
        assertEquals(0, r.rc(), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        r = run("umask 022; " + SafeWrite.create(root.resolve("plain.conf").toString(), "", "write"), "x\n");
        assertEquals(0, r.rc(), r.err());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("plain.conf"))));
    }
    @Test
    void nginxsFilesAreWrittenAsRootOnlyWhereRootAloneControlsTheWay() throws Exception {
        Path etc = Files.createDirectories(root.resolve("nginx"));
        Path sites = Files.createDirectories(etc.resolve("sites-available"));
        dev.moat.modules.nginx.NginxLayout layout = new dev.moat.modules.nginx.NginxLayout(etc.toString(), "/nonexistent", "true", "true");
        Path vhost = sites.resolve("api");
        String script = dev.moat.modules.nginx.ConfigChange.script("vhost api",
                java.util.List.of(new dev.moat.modules.nginx.ConfigChange.WriteStdin(vhost.toString())), layout);
        Result ok = run(script, "server {}\n");
        assertEquals(0, ok.rc(), ok.err());
        assertEquals("server {}\n", Files.readString(vhost));

        // A directory on the way that another user owns: that user could swap it for a link, so root writes nothing.
        chown(sites, "nobody");
        Result owned = run(script, "server { listen 80; }\n");
        assertEquals(1, owned.rc());
        assertTrue(owned.err().contains("vhost api: " + sites + " is under a directory of uid "), owned.err());
        assertEquals("server {}\n", Files.readString(vhost));

        chown(sites, "root");
        Files.setPosixFilePermissions(sites, PosixFilePermissions.fromString("rwxrwxrwx"));
        Result open = run(script, "server { listen 80; }\n");
        assertEquals(1, open.rc());
        assertTrue(open.err().contains("can be written by anyone"), open.err());
        assertEquals("server {}\n", Files.readString(vhost));
    }
}
