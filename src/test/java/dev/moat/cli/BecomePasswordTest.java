package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.vault.Vault;
import dev.moat.vault.VaultIds;
import dev.moat.yaml.YamlLoader;

/** ansible_become_password, usually from a vaulted file, is the sudo password of its host, and a secret. */
class BecomePasswordTest {
    private static final Path VAULT = Path.of("src/test/resources/vault");

    @AfterEach
    void noVault() {
        Vault.install(null);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aVaultedBecomePasswordFeedsSudoAndIsMasked() {
        Vault.install(VaultIds.load(List.of(), List.of(VAULT.resolve("password.txt")), false, null));
        Map<String, Object> vars = new LinkedHashMap<>((Map<String, Object>) YamlLoader.load(VAULT.resolve("vars-1.1.yml")).toPlain());
        Secrets secrets = new Secrets();
        Vault.current().onReveal(secrets::add);
        // The common layout: group_vars name the vaulted variable.
        vars.put("ansible_become_pass", "{{ vault_users.apiuser }}");
        Map<String, Object> viaAlias = new LinkedHashMap<>(vars);
        viaAlias.remove("ansible_become_password");
        Templar templar = new Templar(null, secrets);
        assertArrayEquals("api-Pa55word".toCharArray(), Endpoints.becomePassword("h1", viaAlias, Map.of(), templar));
        assertArrayEquals("sudo-Pa55word".toCharArray(), Endpoints.becomePassword("h1", vars, Map.of(), templar));
        assertArrayEquals("from-e".toCharArray(), Endpoints.becomePassword("h1", vars, Map.of("ansible_become_password", "from-e"), templar));
        assertEquals("sudo ******** api ********", secrets.mask("sudo sudo-Pa55word api api-Pa55word"));
        assertTrue(secrets.contains("from-e") || "from-e".length() < Secrets.MIN_LENGTH);
        assertNull(Endpoints.becomePassword("h1", Map.of("ansible_user", "ops"), Map.of(), templar));
    }
}
