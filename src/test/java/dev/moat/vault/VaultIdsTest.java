package dev.moat.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.MoatException;

class VaultIdsTest {
    @TempDir
    Path tmp;

    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void aFileHoldsThePasswordAndAnExecutablePrintsIt() throws IOException {
        String vaulted = Files.readString(VaultTest.DIR.resolve("vars-1.1.yml"));
        Vault fromFile = VaultIds.load(List.of(), List.of(VaultTest.DIR.resolve("password.txt")), false, null);
        Vault fromScript = VaultIds.load(List.of(), List.of(script("pass.sh", "echo moat-test-only-1")), false, null);
        assertEquals(fromFile.decrypt(vaulted), fromScript.decrypt(vaulted));
    }

    @Test
    void aClientScriptIsToldTheVaultId() throws IOException {
        Path client = script("vault-client.sh", "[ \"$1\" = --vault-id ] && [ \"$2\" = prod ] && echo moat-test-only-prod");
        Vault v = VaultIds.load(List.of("prod@" + client), List.of(), false, null);
        assertTrue(v.decrypt(Files.readString(VaultTest.DIR.resolve("vars-1.2-prod.yml"))).contains("vault_db_password"));
        assertTrue(VaultIds.isClient(Path.of("a/keyring-client.py")));
    }

    @Test
    void badSourcesAreUsageErrorsNamingTheOption() throws IOException {
        MoatException e = assertThrows(MoatException.class, () -> VaultIds.load(List.of("prod@" + tmp.resolve("nope")), List.of(), false, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--vault-id prod@" + tmp.resolve("nope") + ": no such file"), e.getMessage());
        e = assertThrows(MoatException.class, () -> VaultIds.load(List.of(), List.of(script("fail.sh", "exit 3")), false, null));
        assertTrue(e.getMessage().contains("exited with 3"), e.getMessage());
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        e = assertThrows(MoatException.class, () -> VaultIds.load(List.of(), List.of(empty), false, null));
        assertTrue(e.getMessage().endsWith("gives an empty vault password"), e.getMessage());
    }

    @Test
    void aPromptNeedsATerminal() {
        MoatException e = assertThrows(MoatException.class, () -> VaultIds.load(List.of(), List.of(), true, q -> null));
        assertEquals("--ask-vault-pass needs a terminal to ask on; use --vault-password-file FILE instead", e.getMessage());
        e = assertThrows(MoatException.class, () -> VaultIds.load(List.of("dev@prompt"), List.of(), false, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        Vault v = VaultIds.load(List.of("dev@prompt"), List.of(), false, q -> "moat-test-only-dev".toCharArray());
        assertTrue(v.hasSecrets());
    }
}
