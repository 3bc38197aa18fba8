package dev.moat.vault;

import java.nio.charset.StandardCharsets;

/**
 * One Ansible Vault envelope, parsed: the header ({@code $ANSIBLE_VAULT;1.1;AES256} or, with a
 * vault id, {@code $ANSIBLE_VAULT;1.2;AES256;LABEL}), then the body, which is hex of the text
 * {@code hex(salt) \n hex(hmac) \n hex(ciphertext)} wrapped at 80 columns. The same layout as
 * Ansible's {@code parse_vaulttext_envelope} and {@code parse_vaulttext}
 * ({@code ansible/parsing/vault/__init__.py}).
 *
 * @param label the vault id of a 1.2 envelope, or null (Ansible's "default")
 */
public record VaultText(String version, String cipher, String label, byte[] salt, byte[] hmac, byte[] ciphertext) {
    public static final String HEADER = "$ANSIBLE_VAULT";

    /** Whether {@code text} is a vault envelope (Ansible's {@code is_encrypted}: it starts with the header). */
    public static boolean isEncrypted(String text) {
        return text != null && text.startsWith(HEADER);
    }

    /**
     * Parses an envelope: a whole vaulted file or the text of a {@code !vault} value.
     *
     * @throws VaultException when the header or the hex layers are malformed
     */
    public static VaultText parse(String envelope) {
        String[] lines = envelope.strip().split("\r?\n");
        String[] header = lines[0].strip().split(";");
        if (!header[0].equals(HEADER) || header.length < 3) {
            throw new VaultException("not an Ansible Vault header: expected $ANSIBLE_VAULT;1.1;AES256 or $ANSIBLE_VAULT;1.2;AES256;LABEL");
        }
        String version = header[1].strip();
        String cipher = header[2].strip();
        if (!version.equals("1.1") && !version.equals("1.2")) {
            throw new VaultException("vault format " + version + " is not supported (moat reads 1.1 and 1.2)");
        }
        if (!cipher.equals("AES256")) throw new VaultException("vault cipher " + cipher + " is not supported (moat reads AES256)");
        String label = header.length >= 4 ? header[3].strip() : null;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length; i++) body.append(lines[i].strip());
        String inner = new String(unhex(body.toString(), "body"), StandardCharsets.US_ASCII);
        String[] parts = inner.split("\n", 3);
        if (parts.length != 3) throw new VaultException("the vault body does not hold salt, HMAC and ciphertext");
        return new VaultText(version, cipher, label, unhex(parts[0], "salt"), unhex(parts[1], "HMAC"), unhex(parts[2], "ciphertext"));
    }

    static byte[] unhex(String hex, String what) {
        if (hex.length() % 2 != 0) throw new VaultException("the vault " + what + " is not hexadecimal (odd length)");
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16), lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new VaultException("the vault " + what + " is not hexadecimal");
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
