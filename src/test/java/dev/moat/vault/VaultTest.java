package dev.moat.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.moat.ExitCode;

/**
 * Decrypts files made by the real {@code ansible-vault} 2.14 (src/test/resources/vault/, their
 * test-only passwords beside them): format 1.1, format 1.2 with a vault id, wrong passwords and an
 * altered text.
 */
class VaultTest {
    static final Path DIR = Path.of("src/test/resources/vault");

    static Vault vault(String... labelAtFile) {
        List<String> ids = new ArrayList<>();
        for (String s : labelAtFile) ids.add(s.replace("@", "@" + DIR + "/"));
        return VaultIds.load(ids, List.of(), false, null);
    }

    static String read(String name) throws IOException {
        return Files.readString(DIR.resolve(name));
    }

    @Test
    void decryptsFormat11WithThePasswordFile() throws IOException {
        Vault v = VaultIds.load(List.of(), List.of(DIR.resolve("password.txt")), false, null);
        assertEquals(read("plain-vars.yml"), v.decrypt(read("vars-1.1.yml")));
    }

    @Test
    void decryptsFormat12ByItsLabelOrByTryingEveryPasswordInOrder() throws IOException {
        VaultText t = VaultText.parse(read("vars-1.2-prod.yml"));
        assertEquals("1.2", t.version());
        assertEquals("prod", t.label());
        assertEquals(read("plain-vars.yml"), vault("dev@dev-password.txt", "prod@prod-password.txt").decrypt(read("vars-1.2-prod.yml")));
        // As Ansible (vault_id_match = False): a label that matches nothing still lets every password try.
        assertEquals(read("plain-vars.yml"), vault("other@prod-password.txt").decrypt(read("vars-1.2-prod.yml")));
    }

    @Test
    void aWrongPasswordIsAClearErrorWithExit65() throws IOException {
        VaultException e = assertThrows(VaultException.class, () -> vault("dev@dev-password.txt").decrypt(read("vars-1.1.yml")));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertEquals("no vault password given decrypts it (tried dev): a wrong password, or the encrypted text was changed", e.getMessage());
        e = assertThrows(VaultException.class, () -> vault("dev@dev-password.txt").decrypt(read("vars-1.2-prod.yml")));
        assertEquals("no vault password given decrypts it (vault id 'prod'; tried dev): a wrong password, or the encrypted text was changed",
                e.getMessage());
    }

    @Test
    void aTamperedCiphertextFailsItsHmacAndIsNeverDecrypted() throws IOException {
        // vars-1.1-tampered.yml: vars-1.1.yml with one hex digit of its ciphertext changed; ansible-vault view refuses it too.
        Vault v = vault("default@password.txt");
        VaultException e = assertThrows(VaultException.class, () -> v.decrypt(read("vars-1.1-tampered.yml")));
        assertTrue(e.getMessage().contains("the encrypted text was changed"), e.getMessage());
    }

    @Test
    void withoutAPasswordItSaysHowToGiveOne() throws IOException {
        VaultException e = assertThrows(Vault.NoPassword.class, () -> new Vault(List.of()).decrypt(read("vars-1.1.yml")));
        assertTrue(e.getMessage().contains("--vault-password-file FILE, --vault-id [LABEL@]FILE (or LABEL@prompt), or --ask-vault-pass"));
    }

    @Test
    void malformedEnvelopesAreFormatErrors() {
        assertThrows(VaultException.class, () -> VaultText.parse("$ANSIBLE_VAULT;1.1;AES256\nzz\n"));
        assertThrows(VaultException.class, () -> VaultText.parse("$ANSIBLE_VAULT;1.0;AES\n6162\n"));
        assertThrows(VaultException.class, () -> VaultText.parse("$ANSIBLE_VAULT;1.1;AES256\n6162\n"));
        assertFalse(VaultText.isEncrypted("a: 1\n"));
    }

    @Test
    void revealedValuesReachListenersAddedLater() {
        Vault v = new Vault(List.of());
        v.reveal("early-secret");
        List<String> heard = new ArrayList<>();
        v.onReveal(heard::add);
        v.reveal("late-secret");
        v.reveal("late-secret");
        assertEquals(List.of("early-secret", "late-secret"), heard);
    }
}
