package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.transport.BecomeException;
import dev.moat.transport.Command;
import dev.moat.transport.Endpoint;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * become through sudo as a non-root login user, against the loopback sshd. Creates a throwaway
 * user with a sudo rule that wants a password for root and none for nobody, and removes both
 * afterwards. Skipped without sshd, sudo, useradd or root.
 */
class SudoPasswordTest {
    static final String USER = "moat-sudo-test";
    static final String PASSWORD = "Pw-for-moat-1";
    static final Path SUDOERS = Path.of("/etc/sudoers.d/moat-sudo-test");
    static TestSshd sshd;
    static Path dir;
    static boolean created;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(TestSshd.available() && Files.isExecutable(Path.of("/usr/bin/sudo"))
                && Files.isExecutable(Path.of("/usr/sbin/useradd")), "needs sshd, sudo, useradd and root");
        removeUser();
        TestSshd.run("/usr/sbin/useradd", "-m", "-s", "/bin/sh", USER);
        created = true;
        Process p = new ProcessBuilder("/usr/sbin/chpasswd").start();
        p.getOutputStream().write((USER + ":" + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertEquals(0, p.waitFor());
        Files.writeString(SUDOERS, "Defaults:" + USER + " timestamp_timeout=0, !lecture\n"
                + USER + " ALL=(root) ALL\n" + USER + " ALL=(nobody) NOPASSWD: ALL\n");
        Files.setPosixFilePermissions(SUDOERS, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        dir = Files.createTempDirectory("moat-sshd");
        sshd = new TestSshd(dir);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (sshd != null) sshd.close();
        if (created) removeUser();
    }

    static void removeUser() throws Exception {
        Files.deleteIfExists(SUDOERS);
        if (new ProcessBuilder("id", USER).start().waitFor() == 0) TestSshd.run("/usr/sbin/userdel", "-r", "-f", USER);
    }

    private SshConnector connector(char[] becomePassword) throws Exception {
        Path kh = Files.createTempFile(dir, "kh", "");
        Files.writeString(kh, sshd.knownHostsLine());
        return new SshConnector(new SshSettings(List.of(kh), false, null, null, becomePassword, Duration.ofSeconds(5),
                Duration.ofSeconds(30), dir.resolve("none"), List.of(sshd.clientKey), null));
    }

    private Endpoint as(String becomeUser) {
        return new Endpoint("h1", "127.0.0.1", sshd.port, USER, null, becomeUser, List.of());
    }

    @Test
    void withoutPasswordSudoFailsClearly() throws Exception {
        try (SshConnector c = connector(null); Transport t = c.connect(as(null))) {
            assertEquals(USER + "\n", t.exec(Command.of("id -un", false)).out());
            BecomeException e = assertThrows(BecomeException.class, () -> t.exec(Command.of("id -u", true)));
            assertEquals("sudo on h1 wants a password: use --ask-become-pass or set ansible_become_password", e.getMessage());
        }
    }

    @Test
    void passwordIsFedToSudoAndStdinToTheCommand() throws Exception {
        try (SshConnector c = connector(PASSWORD.toCharArray()); Transport t = c.connect(as("root"))) {
            ExecResult r = t.exec(Command.of("id -u; cat", true).withStdin("payload\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, r.rc());
            assertEquals("0\npayload\n", r.out());
            assertEquals("", r.err());
            ExecResult empty = t.exec(Command.of("cat; echo end", true));
            assertEquals("end\n", empty.out());
        }
    }

    @Test
    void aHostsOwnBecomePasswordFeedsSudoWithoutAskBecomePass() throws Exception {
        try (SshConnector c = connector(null); Transport t = c.connect(as("root"), PASSWORD.toCharArray())) {
            assertEquals("0\n", t.exec(Command.of("id -u", true)).out());
        }
    }

    @Test
    void passwordNeverLeaksWhenSudoDoesNotAsk() throws Exception {
        try (SshConnector c = connector(PASSWORD.toCharArray()); Transport t = c.connect(as("nobody"))) {
            ExecResult r = t.exec(Command.of("id -un; cat", true).withStdin("only this".getBytes(StandardCharsets.UTF_8)));
            assertEquals("nobody\nonly this", r.out());
            assertFalse(r.out().contains(PASSWORD) || r.err().contains(PASSWORD));
        }
    }

    @Test
    void wrongPasswordIsReportedWithoutWaitingForTheTimeout() throws Exception {
        try (SshConnector c = connector("nope".toCharArray()); Transport t = c.connect(as(null))) {
            long t0 = System.nanoTime();
            BecomeException e = assertThrows(BecomeException.class, () -> t.exec(Command.of("id -u", true)));
            assertTrue(e.getMessage().contains("sudo on h1 refused the become password"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
            assertEquals(USER + "\n", t.exec(Command.of("id -un", false)).out());
        }
    }
}
