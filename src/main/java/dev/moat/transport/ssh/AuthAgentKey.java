package dev.moat.transport.ssh;

import java.io.IOException;
import java.util.LinkedList;
import java.util.Queue;

import com.hierynomus.sshj.key.KeyAlgorithm;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj's {@code publickey} authentication with a key held by {@link SshAgent}: as sshj's
 * {@code AuthPublickey}, a request without signature first, and once the server answers that the
 * key is acceptable ({@code SSH_MSG_USERAUTH_PK_OK}, 60), the same request signed over the session
 * id, the signature made by the agent. For an RSA key the algorithm is the transport's choice
 * ({@code rsa-sha2-512}, {@code rsa-sha2-256}, then {@code ssh-rsa}, as the server allows), asked
 * of the agent with the matching flag; a server that refuses one is offered the next.
 */
final class AuthAgentKey extends AbstractAuthMethod {
    private final SshAgent agent;
    private final SshAgent.Identity identity;
    private Queue<String> algorithms;

    AuthAgentKey(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) sendSigned();
        else super.handle(cmd, buf);
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return buildReq(false);
    }

    private SSHPacket buildReq(boolean signed) throws UserAuthException {
        SSHPacket req = super.buildReq();
        req.putBoolean(signed).putString(algorithm()).putString(identity.blob());
        return req;
    }

    private void sendSigned() throws UserAuthException, TransportException {
        String algorithm = algorithm();
        SSHPacket req = buildReq(true);
        byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req).getCompactData();
        byte[] signature;
        try {
            signature = agent.sign(identity.blob(), data, flags(algorithm));
        } catch (IOException e) {
            throw new UserAuthException(identity + ": " + e.getMessage(), e);
        }
        req.putString(signature);
        params.getTransport().write(req);
    }

    /** The agent's flag for a signature algorithm: SHA-2 for RSA when asked, else none. */
    static int flags(String algorithm) {
        if (algorithm.equals("rsa-sha2-256")) return SshAgent.RSA_SHA2_256;
        if (algorithm.equals("rsa-sha2-512")) return SshAgent.RSA_SHA2_512;
        return 0;
    }

    private String algorithm() throws UserAuthException {
        if (algorithms == null) {
            algorithms = new LinkedList<>();
            try {
                for (KeyAlgorithm a : params.getTransport().getClientKeyAlgorithms(KeyType.fromString(identity.type()))) {
                    algorithms.add(a.getKeyAlgorithm());
                }
            } catch (TransportException e) {
                throw new UserAuthException(identity + ": " + e.getMessage(), e);
            }
            if (algorithms.isEmpty()) algorithms.add(identity.type());
        }
        return algorithms.peek();
    }

    /** Another algorithm for the same key, when the server refused this one. */
    @Override
    public boolean shouldRetry() {
        if (algorithms == null) return false;
        algorithms.poll();
        return !algorithms.isEmpty();
    }

    @Override
    public String toString() {
        return identity.toString();
    }
}
