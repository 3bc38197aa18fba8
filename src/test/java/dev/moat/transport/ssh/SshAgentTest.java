package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hierynomus.sshj.key.KeyAlgorithm;
import net.schmizz.sshj.common.LoggerFactory;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.Transport;
import net.schmizz.sshj.userauth.AuthParams;

/**
 * The agent client against a real {@code ssh-agent} (OpenSSH's, started here on a socket in a
 * temporary directory and stopped by its PID): it lists the keys {@code ssh-add} gave it and signs
 * with them, each signature checked with the public key in plain JCA; and the sshj method built
 * on it sends the signed request sshj's own {@code AuthPublickey} would.
 */
class SshAgentTest {
    static Path dir;
    static Process agentProcess;
    static SshAgent agent;
    static Path ed25519, rsa;

    @BeforeAll
    static void startAgent() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-agent")) && Files.isExecutable(Path.of("/usr/bin/ssh-add"))
                && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "needs OpenSSH's ssh-agent, ssh-add and ssh-keygen");
        dir = Files.createTempDirectory("moat-agent");
        ed25519 = keygen("ed25519", "-t", "ed25519");
        rsa = keygen("rsa", "-t", "rsa", "-b", "2048");
        keygen("other", "-t", "ed25519");
        Path socket = dir.resolve("agent.sock");
        agentProcess = new ProcessBuilder("/usr/bin/ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(50);
        assertTrue(Files.exists(socket), "ssh-agent made its socket");
        for (Path k : List.of(ed25519, rsa)) run("/usr/bin/ssh-add", "-q", k.toString());
        agent = new SshAgent(socket);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agentProcess != null) {
            agentProcess.destroy(); // this PID only: the agent started above
            agentProcess.waitFor(5, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static Path keygen(String name, String... type) throws Exception {
        Path k = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh-keygen", "-q", "-N", "", "-C", name + "@moat-test", "-f", k.toString()));
        cmd.addAll(List.of(type));
        run(cmd.toArray(new String[0]));
        return k;
    }

    private static void run(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (agentProcess != null) pb.environment().put("SSH_AUTH_SOCK", dir.resolve("agent.sock").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    @Test
    void listsTheKeysSshAddGaveIt() throws Exception {
        List<SshAgent.Identity> ids = agent.identities();
        assertEquals(2, ids.size());
        assertEquals("ssh-ed25519", ids.get(0).type());
        assertEquals("ed25519@moat-test", ids.get(0).comment());
        assertArrayEquals(AuthOrder.publicBlob(ed25519), ids.get(0).blob());
        assertEquals("ssh-rsa", ids.get(1).type());
        assertArrayEquals(AuthOrder.publicBlob(rsa), ids.get(1).blob());
    }

    @Test
    void signsWithEd25519AndTheSignatureVerifies() throws Exception {
        byte[] data = "session id and request".getBytes(StandardCharsets.UTF_8);
        byte[] blob = AuthOrder.publicBlob(ed25519);
        ByteBuffer sig = ByteBuffer.wrap(agent.sign(blob, data, 0));
        assertEquals("ssh-ed25519", text(sig));
        byte[] raw = bytes(sig);
        assertTrue(verify("Ed25519", publicKey(blob), data, raw));
        assertTrue(!verify("Ed25519", publicKey(blob), "other data".getBytes(StandardCharsets.UTF_8), raw), "the check can fail");
    }

    @Test
    void signsWithRsaSha2AsTheFlagsAsk() throws Exception {
        byte[] data = "session id and request".getBytes(StandardCharsets.UTF_8);
        byte[] blob = AuthOrder.publicBlob(rsa);
        PublicKey key = publicKey(blob);
        ByteBuffer s256 = ByteBuffer.wrap(agent.sign(blob, data, SshAgent.RSA_SHA2_256));
        assertEquals("rsa-sha2-256", text(s256));
        assertTrue(verify("SHA256withRSA", key, data, bytes(s256)));
        ByteBuffer s512 = ByteBuffer.wrap(agent.sign(blob, data, SshAgent.RSA_SHA2_512));
        assertEquals("rsa-sha2-512", text(s512));
        assertTrue(verify("SHA512withRSA", key, data, bytes(s512)));
    }

    @Test
    void aKeyTheAgentDoesNotHoldIsRefused() {
        byte[] blob = AuthOrder.publicBlob(dir.resolve("other"));
        IOException e = assertThrows(IOException.class, () -> agent.sign(blob, new byte[] {1}, 0));
        assertTrue(e.getMessage().endsWith("refused to sign"), e.getMessage());
    }

    @Test
    void theAuthMethodSendsTheFeelerThenARequestSignedOverTheSessionId() throws Exception {
        for (Path key : List.of(ed25519, rsa)) {
            SshAgent.Identity id = new SshAgent.Identity(AuthOrder.publicBlob(key), key.getFileName().toString());
            byte[] sessionId = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
            List<byte[]> written = new ArrayList<>();
            AuthAgentKey method = new AuthAgentKey(agent, id);
            method.setLoggerFactory(LoggerFactory.DEFAULT);
            String algorithm = key == rsa ? "rsa-sha2-256" : "ssh-ed25519";
            method.init(params(sessionId, algorithm, written));
            method.request();
            method.handle(Message.USERAUTH_60, new SSHPacket());
            assertEquals(2, written.size());

            ByteBuffer feeler = ByteBuffer.wrap(written.get(0));
            assertEquals(50, feeler.get()); // SSH_MSG_USERAUTH_REQUEST
            assertEquals("root", text(feeler));
            assertEquals("ssh-connection", text(feeler));
            assertEquals("publickey", text(feeler));
            assertEquals(0, feeler.get());
            assertEquals(algorithm, text(feeler));
            assertArrayEquals(id.blob(), bytes(feeler));
            assertEquals(0, feeler.remaining());

            byte[] signed = written.get(1);
            int unsigned = written.get(0).length;
            assertEquals(1, signed[unsigned - 4 - id.blob().length - 4 - algorithm.length() - 1], "the signed flag is set");
            ByteBuffer sig = ByteBuffer.wrap(signed, unsigned, signed.length - unsigned);
            ByteBuffer inner = ByteBuffer.wrap(bytes(sig));
            assertEquals(0, sig.remaining());
            assertEquals(algorithm, text(inner));
            ByteBuffer data = ByteBuffer.allocate(4 + sessionId.length + unsigned);
            data.putInt(sessionId.length).put(sessionId).put(signed, 0, unsigned);
            assertTrue(verify(key == rsa ? "SHA256withRSA" : "Ed25519", publicKey(id.blob()), data.array(), bytes(inner)), key.toString());
        }
    }

    @Test
    void anAgentThatSendsAHugeOrShortAnswerIsAnErrorNotAnOutOfMemoryError() throws Exception {
        Path sock = dir.resolve("hostile.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                for (byte[] answer : List.of(new byte[] {0x7f, -1, -1, -1}, new byte[] {0, 0, 0, 9, 12, 0x7f, -1, -1, -1, 0, 0, 0, 0})) {
                    try (SocketChannel c = server.accept()) {
                        c.read(ByteBuffer.allocate(64));
                        c.write(ByteBuffer.wrap(answer));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.start();
            SshAgent hostile = new SshAgent(sock);
            assertTrue(assertThrows(IOException.class, hostile::identities).getMessage().contains("sent a message of 2147483647 bytes"));
            assertTrue(assertThrows(IOException.class, hostile::identities).getMessage().contains("answered with 2147483647 keys"));
            t.join(5000);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static AuthParams params(byte[] sessionId, String algorithm, List<byte[]> written) {
        KeyAlgorithm alg = (KeyAlgorithm) Proxy.newProxyInstance(KeyAlgorithm.class.getClassLoader(), new Class<?>[] {KeyAlgorithm.class},
                (p, m, a) -> {
                    if (m.getName().equals("getKeyAlgorithm")) return algorithm;
                    throw new UnsupportedOperationException(m.getName());
                });
        Transport transport = (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(), new Class<?>[] {Transport.class},
                (p, m, a) -> {
                    switch (m.getName()) {
                        case "getSessionID": return sessionId;
                        case "getClientKeyAlgorithms": return List.of(alg);
                        case "write":
                            written.add(((SSHPacket) a[0]).getCompactData());
                            return 0L;
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
        return new AuthParams() {
            public String getNextServiceName() { return "ssh-connection"; }
            public Transport getTransport() { return transport; }
            public String getUsername() { return "root"; }
        };
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }

    private static String text(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }

    /** The public key of an SSH blob, read with plain JCA (not sshj), so the check does not trust the code under test. */
    private static PublicKey publicKey(byte[] blob) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(blob);
        String type = text(b);
        if (type.equals("ssh-ed25519")) {
            byte[] x509 = new byte[44];
            System.arraycopy(HexFormat.of().parseHex("302a300506032b6570032100"), 0, x509, 0, 12);
            System.arraycopy(bytes(b), 0, x509, 12, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        }
        BigInteger e = new BigInteger(bytes(b)), n = new BigInteger(bytes(b));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    private static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }
}
