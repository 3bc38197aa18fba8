package dev.moat.template.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import at.favre.lib.crypto.bcrypt.BCrypt;

import dev.moat.template.TemplateException;

/**
 * The password hashes of Ansible's {@code password_hash} filter, as passlib writes them:
 * SHA-crypt ({@code $6$rounds=656000$salt$...}, {@code $5$...}, Ulrich Drepper's specification)
 * and bcrypt ({@code $2b$12$...}).
 */
final class Crypt {
    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int[][] ORDER512 = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26},
        {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
        {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};
    private static final int[][] ORDER256 = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
        {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}};

    private Crypt() {}

    /** SHA-crypt: {@code bits} 512 ({@code $6$}) or 256 ({@code $5$}). */
    static String shaCrypt(String password, String salt, int rounds, int bits) {
        if (salt.length() > 16 || !salt.chars().allMatch(c -> ITOA64.indexOf(c) >= 0)) {
            throw new TemplateException("password_hash: the salt must be at most 16 characters of [./0-9A-Za-z]");
        }
        String alg = bits == 512 ? "SHA-512" : "SHA-256";
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] s = salt.getBytes(StandardCharsets.US_ASCII);
        MessageDigest b = digest(alg);
        b.update(pw);
        b.update(s);
        b.update(pw);
        byte[] db = b.digest();
        MessageDigest a = digest(alg);
        a.update(pw);
        a.update(s);
        repeat(a, db, pw.length);
        for (int i = pw.length; i > 0; i >>= 1) {
            if ((i & 1) != 0) a.update(db);
            else a.update(pw);
        }
        byte[] da = a.digest();
        MessageDigest dp = digest(alg);
        for (int i = 0; i < pw.length; i++) dp.update(pw);
        byte[] p = fill(dp.digest(), pw.length);
        MessageDigest ds = digest(alg);
        for (int i = 0; i < 16 + (da[0] & 0xff); i++) ds.update(s);
        byte[] sb = fill(ds.digest(), s.length);
        for (int r = 0; r < rounds; r++) {
            MessageDigest c = digest(alg);
            c.update((r & 1) != 0 ? p : da);
            if (r % 3 != 0) c.update(sb);
            if (r % 7 != 0) c.update(p);
            c.update((r & 1) != 0 ? da : p);
            da = c.digest();
        }
        StringBuilder out = new StringBuilder(bits == 512 ? "$6$" : "$5$");
        if (rounds != 5000) out.append("rounds=").append(rounds).append('$'); // 5000 is implied, so passlib leaves it out
        out.append(salt).append('$');
        for (int[] t : bits == 512 ? ORDER512 : ORDER256) b64(out, da[t[0]], da[t[1]], da[t[2]], 4);
        if (bits == 512) b64(out, (byte) 0, (byte) 0, da[63], 2);
        else b64(out, (byte) 0, da[31], da[30], 3);
        return out.toString();
    }

    /** bcrypt with a 22-character salt in bcrypt's base64, as passlib takes it. */
    static String bcrypt(String password, String salt, int cost) {
        byte[] raw = bcryptSalt(salt);
        byte[] hash = BCrypt.with(BCrypt.Version.VERSION_2B).hash(cost, raw, password.getBytes(StandardCharsets.UTF_8));
        return new String(hash, StandardCharsets.US_ASCII);
    }

    private static final String BCRYPT64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static byte[] bcryptSalt(String salt) {
        if (salt.length() != 22 || !salt.chars().allMatch(c -> BCRYPT64.indexOf(c) >= 0)) {
            throw new TemplateException("password_hash: a bcrypt salt is 22 characters of [./A-Za-z0-9]");
        }
        byte[] out = new byte[16];
        int bitsHeld = 0;
        int acc = 0;
        int n = 0;
        for (int i = 0; i < salt.length() && n < 16; i++) {
            acc = (acc << 6) | BCRYPT64.indexOf(salt.charAt(i));
            bitsHeld += 6;
            if (bitsHeld >= 8) {
                bitsHeld -= 8;
                out[n++] = (byte) (acc >> bitsHeld);
            }
        }
        return out;
    }

    private static void b64(StringBuilder out, byte b2, byte b1, byte b0, int n) {
        int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
        for (int i = 0; i < n; i++) {
            out.append(ITOA64.charAt(w & 0x3f));
            w >>= 6;
        }
    }

    private static void repeat(MessageDigest d, byte[] block, int length) {
        int left = length;
        while (left > block.length) {
            d.update(block);
            left -= block.length;
        }
        d.update(block, 0, left);
    }

    private static byte[] fill(byte[] block, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = block[i % block.length];
        return out;
    }

    static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new TemplateException("hash: unsupported hash type '" + alg + "'");
        }
    }

    static String hex(byte[] b) {
        StringBuilder out = new StringBuilder();
        for (byte x : b) out.append(String.format("%02x", x));
        return out.toString();
    }
}
