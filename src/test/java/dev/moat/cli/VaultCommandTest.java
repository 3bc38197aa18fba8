package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.vault.Vault;

/** The vault options on real commands: a vaulted group_vars file and an inline !vault in -e @file. */
class VaultCommandTest {
    private static final Path VAULT = Path.of("src/test/resources/vault").toAbsolutePath();

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter(), err = new StringWriter();

    @BeforeEach
    void inventory() throws Exception {
        Files.createDirectories(tmp.resolve("group_vars"));
        Files.copy(VAULT.resolve("vars-1.1.yml"), tmp.resolve("group_vars/all.yml"));
        Files.writeString(tmp.resolve("hosts.yml"), "all:\n  hosts:\n    h1:\n      ansible_host: 127.0.0.1\n");
        Files.writeString(tmp.resolve("play.yml"), "- hosts: all\n  tasks:\n    - debug: {msg: \"{{ vault_db_password }} {{ db_password }}\"}\n");
    }

    @AfterEach
    void noVault() {
        Vault.install(null);
    }

    private int moat(String... args) {
        return Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void inventoryListsVaultedVariablesMasked() {
        assertEquals(0, moat("inventory", "-i", tmp.resolve("hosts.yml").toString(), "--vault-password-file", VAULT.resolve("password.txt").toString()),
                err.toString());
        assertTrue(out.toString().contains("\"vault_db_password\": \"********\""), out.toString());
        assertTrue(out.toString().contains("\"vault_port\": 8443"), out.toString());
        assertFalse(out.toString().contains("s3cret-db-Pa55"), out.toString());
    }

    @Test
    void withoutAPasswordTheErrorNamesTheFileAndTheOptions() {
        assertEquals(ExitCode.INVALID, moat("inventory", "-i", tmp.resolve("hosts.yml").toString()));
        assertTrue(err.toString().startsWith("moat: " + tmp.resolve("group_vars/all.yml") + ":1:1: cannot decrypt this Ansible Vault file:"
                + " no vault password given; pass --vault-password-file FILE"), err.toString());
    }

    @Test
    void aWrongPasswordIsExit65NamingTheFile() {
        assertEquals(ExitCode.INVALID, moat("inventory", "-i", tmp.resolve("hosts.yml").toString(), "--vault-id", "dev@" + VAULT.resolve("dev-password.txt")));
        assertTrue(err.toString().contains(tmp.resolve("group_vars/all.yml") + ":1:1: cannot decrypt this Ansible Vault file: no vault password given"
                + " decrypts it (tried dev)"), err.toString());
    }

    @Test
    void askVaultPassWithoutATerminalIsRefused() {
        assertEquals(ExitCode.USAGE, moat("inventory", "-i", tmp.resolve("hosts.yml").toString(), "--ask-vault-pass"));
        assertTrue(err.toString().contains("--ask-vault-pass needs a terminal to ask on"), err.toString());
    }

    @Test
    void applyDecryptsInlineValuesInExtraVarsFilesWithSeveralVaultIds() {
        int code = moat("apply", tmp.resolve("play.yml").toString(), "-i", tmp.resolve("hosts.yml").toString(),
                "--syntax-check", "-e", "@" + VAULT.resolve("inline-vars.yml"),
                "--vault-id", "dev@" + VAULT.resolve("dev-password.txt"), "--vault-password-file", VAULT.resolve("password.txt").toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("syntax ok"), out.toString());
    }
}
