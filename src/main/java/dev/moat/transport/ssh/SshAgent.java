package dev.moat.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of a running {@code ssh-agent} over its unix-domain socket ({@code SSH_AUTH_SOCK}),
 * speaking the two requests authentication needs (draft-miller-ssh-agent): list the identities
 * ({@code SSH_AGENTC_REQUEST_IDENTITIES} 11, answered by 12) and sign data with one of them
 * ({@code SSH_AGENTC_SIGN_REQUEST} 13, answered by 14; {@code SSH_AGENT_FAILURE} 5 when the agent
 * refuses). Private keys never leave the agent: moat only ever holds public key blobs and
 * signatures. Each request is its own short connection, so one agent serves every host's thread.
 */
public final class SshAgent {
    static final byte FAILURE = 5, REQUEST_IDENTITIES = 11, IDENTITIES_ANSWER = 12, SIGN_REQUEST = 13, SIGN_RESPONSE = 14;
    /** Sign-request flags asking for an RSA signature with SHA-2 instead of SHA-1. */
    public static final int RSA_SHA2_256 = 2, RSA_SHA2_512 = 4;
    /** OpenSSH's own limit on one agent message: a bigger answer is not an agent's. */
    static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;

    public SshAgent(Path socket) {
        this.socket = socket;
    }

    /** The agent {@code SSH_AUTH_SOCK} names, or null when it is unset or empty. */
    public static SshAgent fromEnvironment(String sshAuthSock) {
        return sshAuthSock == null || sshAuthSock.isBlank() ? null : new SshAgent(Path.of(sshAuthSock));
    }

    public Path socket() {
        return socket;
    }

    /** One key the agent holds: its public key blob (as ssh writes it) and its comment. */
    public record Identity(byte[] blob, String comment) {
        /** The key's type, the blob's first string ({@code ssh-ed25519}, {@code ssh-rsa}, ...). */
        public String type() {
            ByteBuffer b = ByteBuffer.wrap(blob);
            try {
                return new String(string(b), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public String toString() {
            return type() + " " + comment + " (ssh-agent)";
        }
    }

    /** The identities the agent holds, in its order. */
    public List<Identity> identities() throws IOException {
        ByteBuffer r = request(REQUEST_IDENTITIES, new byte[0], IDENTITIES_ANSWER, "list its keys");
        int n = r.getInt();
        if (n < 0 || n > 1024) throw new IOException("ssh-agent at " + socket + " answered with " + Integer.toUnsignedLong(n) + " keys");
        List<Identity> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new Identity(string(r), new String(string(r), StandardCharsets.UTF_8)));
        return out;
    }

    /**
     * The agent's signature of {@code data} with the key whose public blob is {@code blob}: the
     * signature blob as SSH sends it ({@code string algorithm, string signature}).
     */
    public byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        d.writeInt(blob.length);
        d.write(blob);
        d.writeInt(data.length);
        d.write(data);
        d.writeInt(flags);
        return string(request(SIGN_REQUEST, body.toByteArray(), SIGN_RESPONSE, "sign"));
    }

    private ByteBuffer request(byte type, byte[] body, byte expected, String what) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(5 + body.length);
            out.putInt(1 + body.length).put(type).put(body).flip();
            while (out.hasRemaining()) ch.write(out);
            ByteBuffer len = read(ch, 4);
            int n = len.getInt();
            if (n < 1 || n > MAX_MESSAGE) throw new IOException("ssh-agent at " + socket + " sent a message of " + Integer.toUnsignedLong(n) + " bytes");
            ByteBuffer msg = read(ch, n);
            byte got = msg.get();
            if (got == FAILURE) throw new IOException("ssh-agent at " + socket + " refused to " + what);
            if (got != expected) throw new IOException("ssh-agent at " + socket + " answered " + got + " to a request to " + what);
            return msg;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("ssh-agent at " + socket + " sent a truncated answer to a request to " + what);
        }
    }

    private ByteBuffer read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new IOException("ssh-agent at " + socket + " closed the connection mid-answer");
        }
        return b.flip();
    }

    private static byte[] string(ByteBuffer b) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) throw new IOException("malformed ssh-agent message: a string of " + Integer.toUnsignedLong(n) + " bytes");
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
