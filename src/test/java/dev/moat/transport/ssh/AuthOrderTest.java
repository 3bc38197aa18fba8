package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSH's order of keys: the agent's first, then files it does not hold; an explicit key alone, signed by the agent when it holds it. */
class AuthOrderTest {
    static final SshAgent.Identity A = new SshAgent.Identity(new byte[] {1}, "a"), B = new SshAgent.Identity(new byte[] {2}, "b");
    static final Path ID_ED = Path.of("/home/u/.ssh/id_ed25519"), ID_RSA = Path.of("/home/u/.ssh/id_rsa"), DEPLOY = Path.of("/keys/deploy");
    /** id_ed25519's public key is B, the agent's second key; the others are not in the agent. */
    static final Map<Path, byte[]> PUB = Map.of(ID_ED, new byte[] {2}, DEPLOY, new byte[] {9});

    static List<AuthOrder.Choice> order(List<SshAgent.Identity> held, List<Path> files, boolean explicit) {
        return AuthOrder.order(held, files, explicit, PUB::get);
    }

    @Test
    void agentKeysFirstThenTheFilesItDoesNotHold() {
        assertEquals(List.of(new AuthOrder.AgentKey(A), new AuthOrder.AgentKey(B), new AuthOrder.FileKey(ID_RSA, false)),
                order(List.of(A, B), List.of(ID_ED, ID_RSA), false));
    }

    @Test
    void withoutAnAgentTheFilesAsBefore() {
        assertEquals(List.of(new AuthOrder.FileKey(ID_ED, false), new AuthOrder.FileKey(ID_RSA, false)), order(List.of(), List.of(ID_ED, ID_RSA), false));
        assertEquals(List.of(new AuthOrder.FileKey(DEPLOY, true)), order(List.of(), List.of(DEPLOY), true));
    }

    @Test
    void anExplicitKeyIsOfferedAloneThroughTheAgentWhenItHoldsIt() {
        assertEquals(List.of(new AuthOrder.FileKey(DEPLOY, true)), order(List.of(A, B), List.of(DEPLOY), true));
        assertEquals(List.of(new AuthOrder.AgentKey(B)), order(List.of(A, B), List.of(ID_ED), true));
    }

    @Test
    void thePublicBlobIsReadFromTheDotPubBeside(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("k.pub"), "ssh-ed25519 AQID comment here\n");
        assertArrayEquals(new byte[] {1, 2, 3}, AuthOrder.publicBlob(tmp.resolve("k")));
        assertNull(AuthOrder.publicBlob(tmp.resolve("missing")));
        Files.writeString(tmp.resolve("bad.pub"), "ssh-ed25519 !!!\n");
        assertNull(AuthOrder.publicBlob(tmp.resolve("bad")));
    }
}
