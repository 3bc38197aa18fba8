package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the testbed itself is what the other end-to-end tests take it for: distinct hosts with
 * their own identity, the two sudo flavours, a host-private firewall, and (with --docker) the
 * Docker-published port that UFW does not stop. Every change it makes on a host it undoes, and
 * checks that it did with a checksummed listing.
 */
class TestbedE2E {
    private static final int PLAIN_PORT = 9999;
    private static Testbed tb;

    @BeforeAll
    static void testbed() {
        tb = Testbed.fromEnv();
    }

    @Test
    void everyHostAnswersSshWithItsOwnHostnameAndHostKey() throws IOException {
        Set<String> keys = new HashSet<>();
        for (TestHost h : tb.hosts()) {
            assertEquals(h.name(), tb.execOk(h.name(), "hostname").trim());
            String key = tb.execOk(h.name(), "cat /etc/ssh/ssh_host_ed25519_key.pub").split(" ")[1];
            assertTrue(keys.add(key), h.name() + " shares its host key with another host");
            assertTrue(Files.readString(tb.knownHosts()).contains(key), "known_hosts lacks " + h.name() + "'s key");
        }
    }

    @Test
    void aHostPresentingAnotherHostsKeyIsRefused(@TempDir Path tmp) throws IOException {
        assumeTrue(tb.hosts().size() >= 2, "needs two hosts");
        TestHost a = tb.hosts().get(0);
        TestHost b = tb.hosts().get(1);
        // known_hosts that pins b's address to a's keys: ssh to b must fail the host key check.
        List<String> swapped = new ArrayList<>();
        for (String line : Files.readAllLines(tb.knownHosts())) {
            String[] f = line.split(" ", 2);
            if (f[0].equals(a.address()) || f[0].equals("[" + a.address() + "]:" + a.port())) {
                swapped.add(f[0].replace(a.address(), b.address()) + " " + f[1]);
            }
        }
        Path kh = tmp.resolve("known_hosts");
        Files.write(kh, swapped);
        List<String> cmd = new ArrayList<>(tb.sshCommand(b.name(), "root"));
        cmd.replaceAll(s -> s.equals("UserKnownHostsFile=" + tb.knownHosts()) ? "UserKnownHostsFile=" + kh : s);
        cmd.add("true");
        ProcResult r = Procs.run(cmd, null, Map.of(), "", Duration.ofSeconds(30));
        assertEquals(255, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("HOST IDENTIFICATION HAS CHANGED") || r.stderr().contains("verification failed"),
                r.describe());
    }

    @Test
    void deployHasPasswordlessSudoAndOpsMustGiveItsPassword() {
        String h = tb.hosts().get(0).name();
        ProcResult deploy = tb.exec(h, "deploy", "id -un && sudo -n id -u", null);
        assertEquals("deploy\n0\n", deploy.stdout(), deploy.describe());

        ProcResult opsNoPassword = tb.exec(h, "ops", "sudo -n true", null);
        assertNotEquals(0, opsNoPassword.exitCode(), opsNoPassword.describe());
        assertTrue(opsNoPassword.stderr().contains("password is required"), opsNoPassword.describe());

        ProcResult opsWrong = tb.exec(h, "ops", "sudo -S -p '' id -u", "wrong-password\n");
        assertNotEquals(0, opsWrong.exitCode(), opsWrong.describe());
        ProcResult ops = tb.exec(h, "ops", "sudo -S -p '' id -u", tb.opsPassword() + "\n");
        assertEquals("0\n", ops.stdout(), ops.describe());
    }

    @Test
    void ufwInsideAHostBlocksItsListenersAndLeavesTheRootNamespaceAlone() {
        TestHost h = tb.hosts().get(tb.hosts().size() - 1);
        String rootFirewall = rootNamespaceFirewall();
        Listing before = tb.checksumListing(h.name());
        startPlainListener(h);
        try {
            assertTrue(connects(h, PLAIN_PORT), "plain listener unreachable before UFW");
            withUfwEnabled(h, () -> {
                assertTrue(!connects(h, PLAIN_PORT), "UFW (deny incoming) did not block port " + PLAIN_PORT);
                assertEquals(h.name(), tb.execOk(h.name(), "hostname").trim(), "SSH must stay allowed");
                assertEquals(rootFirewall, rootNamespaceFirewall(), "the root namespace's firewall changed");
            });
            assertTrue(connects(h, PLAIN_PORT), "plain listener unreachable after UFW was undone");
        } finally {
            stopPlainListener(h);
        }
        assertEquals(List.of(), before.differences(tb.checksumListing(h.name())), "the test left changes on " + h.name());
        assertEquals(rootFirewall, rootNamespaceFirewall());
    }

    @Test
    void dockerPublishedPortAnswersThroughUfwDenyIncoming() {
        assumeTrue(tb.docker(), "testbed runs without --docker");
        TestHost h = tb.hosts().get(0);
        assertEquals(200, httpStatus(h, 8000, "/v1/models"));
        assertEquals(200, httpStatus(h, 11434, "/api/tags"));
        assertEquals(200, httpStatus(h, 8188, "/system_stats"));
        Listing before = tb.checksumListing(h.name());
        startPlainListener(h);
        try {
            withUfwEnabled(h, () -> {
                assertTrue(!connects(h, PLAIN_PORT), "UFW did not block the plain listener");
                // The threat: Docker's DNAT runs before UFW's INPUT rules ever see the packet.
                assertEquals(200, httpStatus(h, 8000, "/v1/models"), "the Docker bypass did not reproduce");
            });
        } finally {
            stopPlainListener(h);
        }
        assertEquals(200, httpStatus(h, 8000, "/"));
        assertEquals(List.of(), before.differences(tb.checksumListing(h.name())), "the test left changes on " + h.name());
    }

    @Test
    void pebbleAnswersInsideAHostWithTheExportedListenerCertificate() throws IOException {
        String h = tb.hosts().get(0).name();
        assertTrue(Files.readString(tb.pebbleRoot()).contains("BEGIN CERTIFICATE"), "Pebble's root was not exported");
        tb.put(h, Files.readString(tb.pebbleListenerCert()), "/run/e2e-pebble.pem");
        try {
            String dir = tb.execOk(h, "curl -sf --cacert /run/e2e-pebble.pem " + tb.pebbleDirectoryUrl());
            assertTrue(dir.contains("newAccount"), dir);
        } finally {
            tb.execOk(h, "rm -f /run/e2e-pebble.pem");
        }
    }

    @Test
    void aptInsideAHostUsesOnlyTheLocalRepository() {
        String h = tb.hosts().get(0).name();
        assertEquals("deb [trusted=yes] " + tb.aptUrl() + " ./\n", tb.execOk(h, "cat /etc/apt/sources.list"));
        assertEquals("", tb.execOk(h, "ls /etc/apt/sources.list.d"));
        String policy = tb.execOk(h, "apt-cache policy nginx");
        assertTrue(policy.contains(tb.aptUrl().replace("http://", "")), policy);
        assertTrue(!policy.contains("debian.org"), policy);
    }

    /** Enables UFW (deny incoming, allow SSH) on h, runs body, then restores UFW's files and state. */
    private static void withUfwEnabled(TestHost h, Runnable body) {
        tb.execOk(h.name(), "rm -rf /run/e2e-ufw && mkdir -p /run/e2e-ufw"
                + " && cp -a /etc/ufw /run/e2e-ufw/etc-ufw && cp -a /etc/default/ufw /run/e2e-ufw/default-ufw");
        try {
            tb.execOk(h.name(), "ufw default deny incoming >/dev/null && ufw allow " + h.port() + "/tcp >/dev/null"
                    + " && ufw --force enable >/dev/null && ufw status | grep -q 'Status: active'");
            body.run();
        } finally {
            tb.execOk(h.name(), "ufw --force disable >/dev/null; rm -rf /etc/ufw"
                    + " && cp -a /run/e2e-ufw/etc-ufw /etc/ufw && cp -a /run/e2e-ufw/default-ufw /etc/default/ufw"
                    + " && rm -rf /run/e2e-ufw && ufw status | grep -q 'Status: inactive'");
        }
    }

    private static void startPlainListener(TestHost h) {
        tb.execOk(h.name(), "mkdir -p /run/e2e-www && echo ok >/run/e2e-www/index.html"
                + " && (setsid busybox httpd -f -p " + PLAIN_PORT + " -h /run/e2e-www </dev/null >/dev/null 2>&1 &"
                + " echo $! >/run/e2e-httpd.pid) && sleep 0.3");
    }

    private static void stopPlainListener(TestHost h) {
        tb.execOk(h.name(), "kill $(cat /run/e2e-httpd.pid) 2>/dev/null; rm -rf /run/e2e-www /run/e2e-httpd.pid");
    }

    private static boolean connects(TestHost h, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(h.address(), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int httpStatus(TestHost h, int port, String path) {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + h.address() + ":" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return c.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The root namespace's rules as iptables-save prints them, without counters (read only). */
    private static String rootNamespaceFirewall() {
        StringBuilder all = new StringBuilder();
        for (String tool : new String[] {"iptables-save", "ip6tables-save"}) {
            ProcResult r = Procs.run(List.of(tool), null, Map.of(), "", Duration.ofSeconds(30));
            if (!r.ok()) {
                throw new UncheckedIOException(new IOException(tool + " failed: " + r.describe()));
            }
            for (String line : r.stdout().split("\n")) {
                if (!line.startsWith("#")) {
                    all.append(line.replaceAll("\\[\\d+:\\d+\\]", "")).append('\n');
                }
            }
        }
        return all.toString();
    }
}
