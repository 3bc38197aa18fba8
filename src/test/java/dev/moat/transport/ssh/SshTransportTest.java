package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.transport.Command;
import dev.moat.transport.Endpoint;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH transport against a real sshd on 127.0.0.1 (skipped without /usr/sbin/sshd or root). */
class SshTransportTest {
    static TestSshd sshd;
    static Path dir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestSshd.available(), "needs /usr/sbin/sshd and root");
        dir = Files.createTempDirectory("moat-sshd");
        sshd = new TestSshd(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) sshd.close();
    }

    @org.junit.jupiter.api.AfterEach
    void callerIsNotLeftInterrupted() {
        assertFalse(Thread.interrupted(), "the transport left the calling thread interrupted");
    }

    private Path knownHosts(String content) throws IOException {
        Path f = Files.createTempFile(tmp, "known_hosts", "");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private SshSettings settings(Path knownHosts, boolean acceptNew) {
        return new SshSettings(List.of(knownHosts), acceptNew, null, null, null, Duration.ofSeconds(5), null,
                tmp.resolve("no-ssh-config"), List.of(sshd.clientKey), null);
    }

    private Endpoint self() {
        return Endpoint.of("h1", "127.0.0.1", sshd.port, "root");
    }

    private SshSettings trusting() throws IOException {
        return settings(knownHosts(sshd.knownHostsLine()), false);
    }

    @Test
    void knownHostKeyConnectsAndRuns() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            ExecResult r = t.exec(Command.of("echo hi; id -u; echo oops >&2", false));
            assertEquals(0, r.rc());
            assertEquals("hi\n0\n", r.out());
            assertEquals("oops\n", r.err());
            assertEquals("h1", t.host());
        }
    }

    @Test
    void outputPastTheBoundFailsTheCommandNamingTheBoundAndTheConnectionStaysUsable() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            IOException e = assertThrows(IOException.class,
                    () -> t.exec(Command.of("head -c " + (Watch.KEEP_LIMIT + 4096) + " /dev/zero", false)));
            assertTrue(e.getMessage().contains("MiB or more to stdout; moat keeps at most 32 MiB of a command's output"), e.getMessage());
            assertEquals("hi\n", t.exec(Command.of("echo hi", false)).out());
        }
    }

    @Test
    void unknownHostKeyIsRefusedNamingFingerprint() throws Exception {
        try (SshConnector c = new SshConnector(settings(knownHosts(""), false))) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(self()));
            String m = e.getMessage();
            assertTrue(m.contains("h1") && m.contains("127.0.0.1:" + sshd.port), m);
            assertTrue(m.contains("ssh-ed25519") && m.contains(TestSshd.fingerprint(sshd.hostKey)), m);
            assertTrue(m.contains("--accept-new-host-keys"), m);
        }
    }

    @Test
    void acceptNewRecordsTheKeyAndTrustsItAfterwards() throws Exception {
        Path kh = knownHosts("# mine\n");
        try (SshConnector c = new SshConnector(settings(kh, true)); Transport t = c.connect(self())) {
            assertEquals(0, t.exec(Command.of("true", false)).rc());
        }
        String recorded = Files.readString(kh);
        assertTrue(recorded.startsWith("# mine\n[127.0.0.1]:" + sshd.port + " ssh-ed25519 "), recorded);
        assertTrue(recorded.contains(TestSshd.pub(sshd.hostKey).split("\\s+")[1]), recorded);
        try (SshConnector c = new SshConnector(settings(kh, false)); Transport t = c.connect(self())) {
            assertEquals(0, t.exec(Command.of("true", false)).rc());
        }
        assertEquals(recorded, Files.readString(kh));
    }

    @Test
    void acceptNewRecordsOnceUnderParallelConnections() throws Exception {
        Path kh = knownHosts("");
        try (SshConnector c = new SshConnector(settings(kh, true))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> {
                    try (Transport t = c.connect(self())) {
                        return t.exec(Command.of("true", false)).rc();
                    }
                }));
            }
            for (Future<Integer> f : fs) assertEquals(0, f.get());
            pool.shutdown();
        }
        assertEquals(1, Files.readAllLines(kh).size());
    }

    @Test
    void changedHostKeyIsAlwaysRefusedWithBothFingerprints() throws Exception {
        String[] other = TestSshd.pub(sshd.strangerKey).trim().split("\\s+");
        Path kh = knownHosts("[127.0.0.1]:" + sshd.port + " " + other[0] + " " + other[1] + "\n");
        for (boolean acceptNew : new boolean[] {false, true}) {
            try (SshConnector c = new SshConnector(settings(kh, acceptNew))) {
                UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(self()));
                String m = e.getMessage();
                assertTrue(m.contains("CHANGED") && m.contains("h1") && m.contains("127.0.0.1:" + sshd.port), m);
                assertTrue(m.contains(TestSshd.fingerprint(sshd.strangerKey)), m);
                assertTrue(m.contains(TestSshd.fingerprint(sshd.hostKey)), m);
            }
        }
        assertEquals(1, Files.readAllLines(kh).size());
    }

    @Test
    void hashedKnownHostsEntryIsHonoured() throws Exception {
        Path kh = knownHosts(sshd.knownHostsLine());
        TestSshd.run("ssh-keygen", "-q", "-H", "-f", kh.toString());
        assertTrue(Files.readString(kh).startsWith("|1|"));
        try (SshConnector c = new SshConnector(settings(kh, false)); Transport t = c.connect(self())) {
            assertEquals("ok\n", t.exec(Command.of("echo ok", false)).out());
        }
    }

    @Test
    void stdinAndLargeStdoutAndStderrFlowConcurrently() throws Exception {
        int n = 5 * 1024 * 1024;
        byte[] in = new byte[n];
        Arrays.fill(in, (byte) 'i');
        String script = "c=$(wc -c); head -c " + n + " /dev/zero | tr '\\0' e >&2; "
                + "head -c " + n + " /dev/zero | tr '\\0' o; echo \" $c\"";
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            ExecResult r = t.exec(new Command(script, in, false, Duration.ofSeconds(60), false));
            assertEquals(0, r.rc());
            assertEquals(n, r.stderr().length);
            assertEquals(n + (" " + n + "\n").length(), r.stdout().length);
            assertTrue(r.out().endsWith(" " + n + "\n"));
            // both at once: stderr interleaved with stdout
            r = t.exec(Command.of("i=0; while [ $i -lt 2000 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done", false));
            assertEquals(2000, r.out().lines().count());
            assertEquals(2000, r.err().lines().count());
        }
    }

    @Test
    void exitCodesAndSignalsAreReported() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            assertEquals(3, t.exec(Command.of("exit 3", false)).rc());
            assertEquals(143, t.exec(Command.of("kill -TERM $$", false)).rc());
            assertEquals(127, t.exec(Command.of("no-such-command-moat", false)).rc());
        }
    }

    @Test
    void scriptsTravelOnStdinNeverOnACommandLine() throws Exception {
        // 600 KiB of script (a play with thousands of file tasks) over the kernel's 128 KiB cap on
        // one argument, a token no process's command line may show, and the command's own stdin after it.
        StringBuilder script = new StringBuilder("# moat-token-7f3a\n");
        for (int i = 0; i < 25_000; i++) script.append(": line ").append(i).append(" of a long script\n");
        script.append("p=$$; while [ \"$p\" -gt 1 ] 2>/dev/null; do tr '\\0' ' ' </proc/$p/cmdline; echo; "
                + "p=$(awk '{print $4}' /proc/$p/stat); done > /tmp/moat-cmdlines.$$; "
                + "grep -c moat-token-7f3a /tmp/moat-cmdlines.$$; rm -f /tmp/moat-cmdlines.$$; cat\n");
        assertTrue(script.length() > 600_000);
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            ExecResult r = t.exec(Command.of(script.toString(), false).withStdin("after the script\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, r.rc(), r.err());
            assertEquals("0\nafter the script\n", r.out(), "grep -c counts the command lines that show the token");
            r = t.exec(Command.of("printf 'no newline at the end'\n\n\n", false));
            assertEquals("no newline at the end", r.out());
        }
    }

    @Test
    void commandTimeoutEndsTheCommandAndKeepsTheConnection() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> t.exec(new Command("sleep 30", null, false, Duration.ofSeconds(1), false)));
            assertFalse(e instanceof UnreachableException);
            assertTrue(e.getMessage().contains("timed out after 1 s") && e.getMessage().contains("h1"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            assertEquals("still\n", t.exec(Command.of("echo still", false)).out());
        }
    }

    @Test
    void settingsCommandTimeoutAppliesToDefaultCommands() throws Exception {
        SshSettings s = trusting().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (SshConnector c = new SshConnector(s); Transport t = c.connect(self())) {
            IOException e = assertThrows(IOException.class, () -> t.exec(Command.of("sleep 30", false)));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }

    @Test
    void neverMoreThanTenSessionsAtOnce() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            ExecutorService pool = Executors.newFixedThreadPool(25);
            List<Future<ExecResult>> fs = new ArrayList<>();
            for (int i = 0; i < 25; i++) fs.add(pool.submit(() -> t.exec(Command.of("sleep 0.3; echo done", false))));
            for (Future<ExecResult> f : fs) assertEquals("done\n", f.get().out());
            pool.shutdown();
        }
    }

    @Test
    void encryptedKeyAsksThePassphraseOnce() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SshSettings s = trusting().withKeys(null, List.of(sshd.encryptedKey), k -> {
            asked.incrementAndGet();
            assertEquals(sshd.encryptedKey.toAbsolutePath(), k);
            return TestSshd.PASSPHRASE.toCharArray();
        });
        try (SshConnector c = new SshConnector(s)) {
            for (int i = 0; i < 2; i++) {
                try (Transport t = c.connect(self())) {
                    assertEquals(0, t.exec(Command.of("true", false)).rc());
                }
            }
        }
        assertEquals(1, asked.get());
    }

    @Test
    void wrongPassphraseAndUnknownKeysFailAuthNamingTheKeys() throws Exception {
        SshSettings s = trusting().withKeys(null, List.of(sshd.encryptedKey, sshd.strangerKey), k -> "wrong".toCharArray());
        try (SshConnector c = new SshConnector(s)) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(self()));
            String m = e.getMessage();
            assertTrue(m.contains("authentication as root on h1 (127.0.0.1:" + sshd.port + ")"), m);
            assertTrue(m.contains(sshd.strangerKey.toString()), m);
            assertTrue(m.contains(sshd.encryptedKey + " (encrypted"), m);
        }
    }

    @Test
    void privateKeyOverrideReplacesOtherKeys() throws Exception {
        SshSettings s = trusting().withKeys(sshd.strangerKey, List.of(sshd.clientKey), null);
        try (SshConnector c = new SshConnector(s)) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(self()));
            assertTrue(e.getMessage().contains(sshd.strangerKey.toString()), e.getMessage());
            assertFalse(e.getMessage().contains(sshd.clientKey + ","), e.getMessage());
        }
        SshSettings missing = trusting().withKeys(tmp.resolve("nope"), List.of(sshd.clientKey), null);
        try (SshConnector c = new SshConnector(missing)) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(self()));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    @Test
    void inventoryKeyFileIsUsed() throws Exception {
        SshSettings s = trusting().withKeys(null, List.of(), null);
        Endpoint e = new Endpoint("h1", "127.0.0.1", sshd.port, "root", sshd.clientKey.toString(), null, List.of());
        try (SshConnector c = new SshConnector(s); Transport t = c.connect(e)) {
            assertEquals(0, t.exec(Command.of("true", false)).rc());
        }
    }

    @Test
    void refusedConnectionNamesHostAndPort() throws Exception {
        int closed = TestSshd.freePort();
        try (SshConnector c = new SshConnector(trusting())) {
            UnreachableException e = assertThrows(UnreachableException.class,
                    () -> c.connect(Endpoint.of("h9", "127.0.0.1", closed, "root")));
            assertTrue(e.getMessage().contains("h9 (127.0.0.1:" + closed + ") refused the connection"), e.getMessage());
        }
    }

    @Test
    void silentServerTimesOutNamingHostAndPort() throws Exception {
        // a TCP listener that never accepts: the kernel completes the handshake, no SSH greeting comes
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            SshSettings s = trusting().withTimeouts(Duration.ofSeconds(1), null);
            try (SshConnector c = new SshConnector(s)) {
                long t0 = System.nanoTime();
                UnreachableException e = assertThrows(UnreachableException.class,
                        () -> c.connect(Endpoint.of("mute", "127.0.0.1", mute.getLocalPort(), "root")));
                assertTrue(e.getMessage().contains("mute (127.0.0.1:" + mute.getLocalPort() + ")"), e.getMessage());
                assertTrue(e.getMessage().contains("timed out after 2 s"), e.getMessage());
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            }
        }
    }

    @Test
    void aConnectionStartsNoKeepaliveThreadOfItsOwn() throws Exception {
        // the connector's one watchdog thread schedules every connection's keepalive
        try (SshConnector c = new SshConnector(trusting()); Transport a = c.connect(self()); Transport b = c.connect(self())) {
            assertEquals("ok\n", a.exec(Command.of("echo ok", false)).out());
            assertEquals("ok\n", b.exec(Command.of("echo ok", false)).out());
            assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName).filter(n -> n.contains("KeepAlive")).toList());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(40)
    void keepalivesKeepAnIdleConnectionAndDropADeadOne() throws Exception {
        // a relay in front of sshd that can stop passing the server's bytes: a peer gone silent
        java.util.concurrent.atomic.AtomicBoolean frozen = new java.util.concurrent.atomic.AtomicBoolean();
        try (java.net.ServerSocket relay = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread accept = new Thread(() -> {
                try (java.net.Socket in = relay.accept(); java.net.Socket out = new java.net.Socket("127.0.0.1", sshd.port)) {
                    Thread up = new Thread(() -> copy(in, out, new java.util.concurrent.atomic.AtomicBoolean()));
                    up.setDaemon(true);
                    up.start();
                    copy(out, in, frozen);
                } catch (IOException e) {
                    // the test ended
                }
            });
            accept.setDaemon(true);
            accept.start();
            Endpoint e = Endpoint.of("127.0.0.1", "127.0.0.1", relay.getLocalPort(), "root");
            try (SshConnector c = new SshConnector(settings(knownHosts(sshd.knownHostsLine().replace(":" + sshd.port + " ", ":" + relay.getLocalPort() + " ")), false),
                    new HandshakeGate(4), 1); Transport t = c.connect(e)) {
                Thread.sleep(3500); // three keepalives answered
                assertEquals("alive\n", t.exec(Command.of("echo alive", false)).out());
                frozen.set(true);
                long t0 = System.nanoTime();
                Thread.sleep(8000); // five unanswered at one a second: the connection counts as lost
                IOException x = assertThrows(IOException.class, () -> t.exec(Command.of("echo late", false)));
                assertTrue(System.nanoTime() - t0 < 15_000_000_000L, x.getMessage());
            }
        }
    }

    private static void copy(java.net.Socket from, java.net.Socket to, java.util.concurrent.atomic.AtomicBoolean frozen) {
        byte[] buf = new byte[8192];
        try {
            java.io.InputStream in = from.getInputStream();
            java.io.OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                if (frozen.get()) continue; // swallowed: the peer has gone silent
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Test
    void handshakeTimeoutStartsWhenTheHostsTurnComes() throws Exception {
        // one handshake at a time, three silent hosts: each waits for the one before it, then gets
        // its full 2 s; a deadline counted from the queue would fail the third after 2 s, not 6
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            SshSettings s = trusting().withTimeouts(Duration.ofSeconds(1), null);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try (SshConnector c = new SshConnector(s, new HandshakeGate(1))) {
                long t0 = System.nanoTime();
                List<java.util.concurrent.CompletableFuture<Long>> ends = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String name = "mute" + i;
                    ends.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        UnreachableException e = assertThrows(UnreachableException.class,
                                () -> c.connect(Endpoint.of(name, "127.0.0.1", mute.getLocalPort(), "root")));
                        assertTrue(e.getMessage().contains("timed out after 2 s"), e.getMessage());
                        return (System.nanoTime() - t0) / 1_000_000;
                    }, pool));
                }
                List<Long> ms = new ArrayList<>();
                for (var f : ends) ms.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
                Collections.sort(ms);
                assertTrue(ms.get(0) >= 1900 && ms.get(1) >= 3900 && ms.get(2) >= 5900, "ends at " + ms + " ms");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void handshakesBeyondTheLimitStillAllConnect() throws Exception {
        try (SshConnector c = new SshConnector(trusting(), new HandshakeGate(2))) {
            List<java.util.concurrent.CompletableFuture<String>> outs = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                for (int i = 0; i < 6; i++) {
                    outs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try (Transport t = c.connect(self())) {
                            return t.exec(Command.of("echo ok", false)).out();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, pool));
                }
                for (var f : outs) assertEquals("ok\n", f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void silentServerBehindABastionTimesOutToo() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            SshSettings s = trusting().withTimeouts(Duration.ofSeconds(1), null);
            Endpoint bastion = Endpoint.of("127.0.0.1", "127.0.0.1", sshd.port, "root");
            Endpoint e = new Endpoint("mute", "127.0.0.1", mute.getLocalPort(), "root", null, null, List.of(bastion));
            try (SshConnector c = new SshConnector(s)) {
                UnreachableException x = assertThrows(UnreachableException.class, () -> c.connect(e));
                assertTrue(x.getMessage().contains("timed out"), x.getMessage());
            }
        }
    }

    @Test
    void idleConnectionOutlivesTheConnectTimeout() throws Exception {
        SshSettings s = trusting().withTimeouts(Duration.ofSeconds(1), null);
        try (SshConnector c = new SshConnector(s); Transport t = c.connect(self())) {
            Thread.sleep(2500);
            assertEquals("alive\n", t.exec(Command.of("echo alive", false)).out());
        }
    }

    @Test
    void sshConfigFillsPortUserAndIdentity() throws Exception {
        Path cfg = tmp.resolve("config");
        Files.writeString(cfg, "Host web\n  HostName 127.0.0.1\n  Port " + sshd.port + "\n  User root\n  IdentityFile "
                + sshd.clientKey + "\n");
        SshSettings s = trusting().withKeys(null, List.of(), null).withSshConfig(cfg);
        try (SshConnector c = new SshConnector(s); Transport t = c.connect(new Endpoint("web", null, 0, null, null, null, null))) {
            assertEquals("0\n", t.exec(Command.of("id -u", false)).out());
        }
    }

    @Test
    void jumpsThroughABastion() throws Exception {
        Endpoint bastion = Endpoint.of("127.0.0.1", "127.0.0.1", sshd.port, "root");
        Endpoint target = new Endpoint("inner", "127.0.0.1", sshd.port, "root", null, null, List.of(bastion, bastion));
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(target)) {
            assertEquals("via\n", t.exec(Command.of("echo via", false)).out());
        }
        int closed = TestSshd.freePort();
        Endpoint nowhere = new Endpoint("inner", "127.0.0.1", closed, "root", null, null, List.of(bastion));
        try (SshConnector c = new SshConnector(trusting())) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(nowhere));
            assertTrue(e.getMessage().contains("inner (127.0.0.1:" + closed + ")"), e.getMessage());
        }
    }

    @Test
    void bastionHostKeyIsVerifiedToo() throws Exception {
        Endpoint bastion = Endpoint.of("bastion", "localhost", sshd.port, "root");
        Endpoint target = new Endpoint("inner", "127.0.0.1", sshd.port, "root", null, null, List.of(bastion));
        try (SshConnector c = new SshConnector(trusting())) {
            UnreachableException e = assertThrows(UnreachableException.class, () -> c.connect(target));
            assertTrue(e.getMessage().contains("bastion (localhost:" + sshd.port + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("unknown"), e.getMessage());
        }
    }

    @Test
    void droppedConnectionIsUnreachable() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            // kill this connection's sshd process, the first sshd above the command
            String killSshd = "p=$$; while [ \"$(cat /proc/$p/comm)\" != sshd ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done;"
                    + " kill -9 $p; sleep 5";
            UnreachableException e = assertThrows(UnreachableException.class, () -> t.exec(Command.of(killSshd, false)));
            assertTrue(e.getMessage().contains("h1 (127.0.0.1:" + sshd.port + ") was lost"), e.getMessage());
            assertThrows(UnreachableException.class, () -> t.exec(Command.of("true", false)));
        }
    }

    @Test
    void becomeAsRootRunsDirectlyAndBecomeOtherUserUsesSudo() throws Exception {
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            assertEquals("root\n", t.exec(Command.of("id -un", true)).out());
            assertEquals("nobody\n", t.exec(Command.as("id -un", true, "nobody")).out(), "a task's become_user");
            assertEquals("root\n", t.exec(Command.as("id -un", false, "nobody")).out(), "become_user without become");
        }
        Endpoint asNobody = new Endpoint("h1", "127.0.0.1", sshd.port, "root", null, "nobody", List.of());
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(asNobody)) {
            ExecResult r = t.exec(Command.of("id -un; cat; echo e >&2; exit 4", true).withStdin("from stdin".getBytes()));
            assertEquals("nobody\nfrom stdin", r.out());
            assertEquals("e\n", r.err());
            assertEquals(4, r.rc());
            assertEquals("root\n", t.exec(Command.of("id -un", false)).out());
            assertEquals("daemon\n", t.exec(Command.as("id -un", true, "daemon")).out(), "the task's user wins over the inventory's");
        }
    }

    @Test
    void listenerSeesScriptsTimingsAndHidesSensitiveOnes() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        SshSettings s = trusting().withListener((host, script, took, rc) -> seen.add(host + "|" + script + "|" + rc
                + "|" + (took.isNegative() ? "neg" : "ok")));
        try (SshConnector c = new SshConnector(s); Transport t = c.connect(self())) {
            t.exec(Command.of("exit 2", false));
            t.exec(new Command("echo secret-thing", null, false, null, true));
        }
        assertEquals(List.of("h1|exit 2|2|ok", "h1|(sensitive)|0|ok"), seen);
    }

    @Test
    void byteExactStdinRoundTrip() throws Exception {
        byte[] all = new byte[256 * 1024];
        for (int i = 0; i < all.length; i++) all[i] = (byte) (i * 31);
        try (SshConnector c = new SshConnector(trusting()); Transport t = c.connect(self())) {
            ExecResult r = t.exec(Command.of("cat", false).withStdin(all));
            assertArrayEquals(all, r.stdout());
        }
    }
}
