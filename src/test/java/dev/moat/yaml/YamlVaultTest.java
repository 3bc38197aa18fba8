package dev.moat.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.ExitCode;
import dev.moat.vault.Vault;
import dev.moat.vault.VaultIds;

/** Vaulted files and inline !vault values as every loader reads them, against ansible-vault's own fixtures. */
class YamlVaultTest {
    private static final Path DIR = Path.of("src/test/resources/vault");

    @AfterEach
    void noVault() {
        Vault.install(null);
    }

    private static Vault install(String... ids) {
        List<String> slugs = new ArrayList<>();
        for (String s : ids) slugs.add(s.replace("@", "@" + DIR + "/"));
        Vault v = VaultIds.load(slugs, List.of(), false, null);
        Vault.install(v);
        return v;
    }

    @Test
    void aVaultedFileLoadsAsItsPlaintextAndEveryStringInItIsSecret() {
        Vault v = install("default@password.txt");
        List<String> secrets = new ArrayList<>();
        v.onReveal(secrets::add);
        Object plain = YamlLoader.load(DIR.resolve("plain-vars.yml")).toPlain();
        assertEquals(plain, YamlLoader.load(DIR.resolve("vars-1.1.yml")).toPlain());
        assertTrue(secrets.containsAll(List.of("s3cret-db-Pa55", "sudo-Pa55word", "api-Pa55word")), secrets.toString());
        assertFalse(secrets.contains("8443"), "numbers are not strings: a port would mask every 8443 in the output");
    }

    @Test
    void inlineVaultValuesDecryptAsAnsibleDoes() throws IOException {
        Vault v = install("default@password.txt", "dev@dev-password.txt");
        List<String> secrets = new ArrayList<>();
        v.onReveal(secrets::add);
        Object ours = YamlLoader.load(DIR.resolve("inline-vars.yml")).toPlain();
        // Recorded from: ansible -m debug -e @inline-vars.yml --vault-id password.txt --vault-id dev@dev-password.txt
        Map<?, ?> ansible = new ObjectMapper().readValue(Files.readString(DIR.resolve("inline-vars.ansible.json")), Map.class);
        assertEquals(ansible, ours);
        assertEquals(List.of("inline-Pa55word", "dev-Pa55word"), secrets);
    }

    @Test
    void withoutAPasswordTheErrorNamesFileLineAndHowToGiveOne() {
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.load(DIR.resolve("inline-vars.yml")));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith(DIR.resolve("inline-vars.yml") + ":3:14: cannot decrypt this Ansible Vault value (!vault):"
                + " no vault password given; pass --vault-password-file FILE"), e.getMessage());
        e = assertThrows(YamlException.class, () -> YamlLoader.load(DIR.resolve("vars-1.1.yml")));
        assertTrue(e.getMessage().startsWith(DIR.resolve("vars-1.1.yml") + ":1:1: cannot decrypt this Ansible Vault file: no vault password given"),
                e.getMessage());
    }

    @Test
    void aWrongPasswordNamesTheFileWithExit65() {
        install("dev@dev-password.txt");
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.load(DIR.resolve("vars-1.1.yml")));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertEquals(DIR.resolve("vars-1.1.yml") + ":1:1: cannot decrypt this Ansible Vault file: no vault password given decrypts it"
                + " (tried dev): a wrong password, or the encrypted text was changed", e.getMessage());
        e = assertThrows(YamlException.class, () -> YamlLoader.load(DIR.resolve("inline-vars.yml")));
        assertTrue(e.getMessage().startsWith(DIR.resolve("inline-vars.yml") + ":3:14: cannot decrypt"), e.getMessage());
    }
}
