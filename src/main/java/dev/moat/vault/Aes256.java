package dev.moat.vault;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ansible's {@code VaultAES256} with the JDK's crypto: PBKDF2-HMAC-SHA256 over the password and
 * salt, 10,000 iterations, 80 bytes: an AES-256 key, an HMAC-SHA256 key and a 16-byte counter
 * block; the HMAC over the ciphertext is checked (in constant time) before AES/CTR decrypts it,
 * and PKCS#7 padding is removed.
 */
final class Aes256 {
    private static final int KEY = 32, IV = 16, ITERATIONS = 10_000;

    private Aes256() {}

    /** The plaintext, or null when the HMAC does not match (a wrong password or a tampered text). */
    static byte[] decrypt(VaultText v, char[] password) {
        try {
            byte[] derived = derive(password, v.salt());
            byte[] key1 = Arrays.copyOfRange(derived, 0, KEY);
            byte[] key2 = Arrays.copyOfRange(derived, KEY, 2 * KEY);
            byte[] iv = Arrays.copyOfRange(derived, 2 * KEY, 2 * KEY + IV);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key2, "HmacSHA256"));
            if (!MessageDigest.isEqual(mac.doFinal(v.ciphertext()), v.hmac())) return null;
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key1, "AES"), new IvParameterSpec(iv));
            return unpad(aes.doFinal(v.ciphertext()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256, HmacSHA256 or AES/CTR", e);
        }
    }

    private static byte[] derive(char[] password, byte[] salt) throws GeneralSecurityException {
        // PBEKeySpec takes chars and the JDK encodes them as UTF-8, as Ansible hashes the password's UTF-8 bytes.
        PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, (2 * KEY + IV) * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] unpad(byte[] b) {
        int n = b.length == 0 ? 0 : b[b.length - 1] & 0xff;
        if (n < 1 || n > 16 || n > b.length) throw new VaultException("the decrypted vault text has bad padding");
        for (int i = b.length - n; i < b.length; i++) {
            if ((b[i] & 0xff) != n) throw new VaultException("the decrypted vault text has bad padding");
        }
        return Arrays.copyOf(b, b.length - n);
    }
}
