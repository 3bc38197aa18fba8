package dev.moat.transport.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** Host key helpers: the SSH wire blob of a key, its type name and its OpenSSH SHA256 fingerprint. */
final class HostKeys {
    private HostKeys() {}

    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    static String type(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    /** As {@code ssh-keygen -lf} prints it: {@code SHA256:} and the unpadded base64 digest. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    /** The name known_hosts files use for a host: {@code host} on port 22, else {@code [host]:port}. */
    static String lookupName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    static String line(String host, int port, PublicKey key) {
        return lookupName(host, port) + " " + type(key) + " "
                + new String(Base64.getEncoder().encode(blob(key)), StandardCharsets.US_ASCII);
    }
}
