package dev.moat.modules.htpasswd;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * htpasswd hashes, computed and checked on the controller so a password never leaves it: new hashes
 * are bcrypt {@code $2y$} (what {@code htpasswd -B} writes and Apache and Nginx accept); existing
 * bcrypt ({@code $2y$}, {@code $2b$}, {@code $2a$}), Apache MD5 ({@code $apr1$}) and {@code {SHA}}
 * entries are verified so a rerun keeps them. Like htpasswd, bcrypt uses a password's first 72 bytes.
 *
 * <p>bcrypt is slow on purpose (cost 10: about 0.1 s of CPU), and it was most of the controller's CPU
 * per host: every host's check verified its own hash. So within one process a password gets one hash
 * per cost, written to every host that needs it, and a verified hash is remembered: a fleet converged
 * by one run costs one bcrypt per password, not one per host. One hash on every host is no weaker than
 * a salt per host: the password is the same, and cracking any host's hash reveals it for all.
 * Only this process's memory holds these, as it holds the password itself.
 */
public final class PasswordHashes {
    private PasswordHashes() {}

    private static final BCrypt.Version V2Y = BCrypt.Version.VERSION_2Y;

    /** Hash to the password it was verified for (or made from), in this process. */
    private static final Map<String, String> VERIFIED = new ConcurrentHashMap<>();
    /** Cost and password to the hash made for them in this process. */
    private static final Map<String, String> MADE = new ConcurrentHashMap<>();
    /** One lock per hash being verified, so hosts sharing a hash wait for one bcrypt instead of each running it. */
    private static final Map<String, Object> VERIFYING = new ConcurrentHashMap<>();

    /** A {@code $2y$} hash with a random salt: the one made for this password and cost earlier in this process, if any. */
    public static String bcrypt(String password, int cost) {
        return MADE.computeIfAbsent(cost + "\0" + password, k -> {
            String h = fresh(password, cost);
            VERIFIED.put(h, password);
            return h;
        });
    }

    /** A new {@code $2y$} hash with a new random salt. */
    public static String fresh(String password, int cost) {
        return new String(BCrypt.with(V2Y, LongPasswordStrategies.truncate(V2Y))
                .hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    /** Whether {@code hash} is {@code password}'s; false for a format that cannot be checked here. */
    public static boolean verify(String password, String hash) {
        if (password.equals(VERIFIED.get(hash))) return true;
        synchronized (VERIFYING.computeIfAbsent(hash, h -> new Object())) {
            if (password.equals(VERIFIED.get(hash))) return true;
            boolean ok = check(password, hash);
            if (ok) VERIFIED.put(hash, password);
            return ok;
        }
    }

    private static boolean check(String password, String hash) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if (hash.startsWith("$2y$") || hash.startsWith("$2b$") || hash.startsWith("$2a$")) {
            try {
                return BCrypt.verifyer(V2Y, LongPasswordStrategies.truncate(V2Y))
                        .verify(pw, hash.getBytes(StandardCharsets.US_ASCII)).verified;
            } catch (RuntimeException e) {
                return false;
            }
        }
        if (hash.startsWith("$apr1$")) {
            int end = hash.indexOf('$', 6);
            if (end < 0) return false;
            return MessageDigest.isEqual(apr1(pw, hash.substring(6, end)).getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
        }
        if (hash.startsWith("{SHA}")) {
            String want = "{SHA}" + Base64.getEncoder().encodeToString(digest("SHA-1", pw));
            return MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
        }
        return false;
    }

    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Apache's MD5 crypt (FreeBSD's md5crypt with the magic {@code $apr1$}). */
    static String apr1(byte[] pw, String salt) {
        if (salt.length() > 8) salt = salt.substring(0, 8);
        byte[] s = salt.getBytes(StandardCharsets.US_ASCII);
        byte[] magic = "$apr1$".getBytes(StandardCharsets.US_ASCII);
        MessageDigest ctx = md5();
        ctx.update(pw);
        ctx.update(magic);
        ctx.update(s);
        MessageDigest alt = md5();
        alt.update(pw);
        alt.update(s);
        alt.update(pw);
        byte[] fin = alt.digest();
        for (int pl = pw.length; pl > 0; pl -= 16) ctx.update(fin, 0, Math.min(pl, 16));
        for (int i = pw.length; i != 0; i >>>= 1) {
            if ((i & 1) != 0) ctx.update((byte) 0);
            else ctx.update(pw[0]);
        }
        fin = ctx.digest();
        for (int i = 0; i < 1000; i++) {
            MessageDigest c = md5();
            if ((i & 1) != 0) c.update(pw);
            else c.update(fin, 0, 16);
            if (i % 3 != 0) c.update(s);
            if (i % 7 != 0) c.update(pw);
            if ((i & 1) != 0) c.update(fin, 0, 16);
            else c.update(pw);
            fin = c.digest();
        }
        StringBuilder out = new StringBuilder("$apr1$").append(salt).append('$');
        int[][] groups = {{0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5}};
        for (int[] g : groups) to64(out, ((fin[g[0]] & 0xff) << 16) | ((fin[g[1]] & 0xff) << 8) | (fin[g[2]] & 0xff), 4);
        to64(out, fin[11] & 0xff, 2);
        return out.toString();
    }

    private static void to64(StringBuilder out, int v, int n) {
        for (int i = 0; i < n; i++) {
            out.append(ITOA64.charAt(v & 0x3f));
            v >>>= 6;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] digest(String alg, byte[] b) {
        try {
            return MessageDigest.getInstance(alg).digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
