package dev.moat.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

import dev.moat.vault.Vault;
import dev.moat.vault.VaultIds;

/**
 * Where Ansible Vault passwords come from, as {@code ansible-playbook} takes them; every command
 * that reads an inventory or a playbook has these options and calls {@link #install} before it
 * loads anything.
 */
final class VaultOptions {
    @Option(names = {"--vault-password-file", "--vault-pass-file"}, paramLabel = "FILE",
            description = "Vault password file, or an executable that prints the password (repeatable).")
    List<Path> passwordFiles = new ArrayList<>();

    @Option(names = "--vault-id", paramLabel = "[LABEL@]SOURCE",
            description = "A vault password with its vault id; SOURCE is a file, an executable or 'prompt' (repeatable).")
    List<String> vaultIds = new ArrayList<>();

    @Option(names = {"-J", "--ask-vault-pass", "--ask-vault-password"}, description = "Ask for the vault password (needs a terminal).")
    boolean askVaultPass;

    /**
     * Reads the passwords and makes them the process's vault.
     *
     * @param configFiles more password files, tried after the command line's ({@code ansible.cfg}'s
     *                    {@code vault_password_file}, {@code ANSIBLE_VAULT_PASSWORD_FILE}), or none
     */
    void install(List<Path> configFiles) {
        List<Path> files = new ArrayList<>(passwordFiles);
        files.addAll(configFiles); // as Ansible: the configured file is tried after the command line's
        Console console = System.console();
        Vault.install(VaultIds.load(vaultIds, files, askVaultPass, console == null ? null : console::readPassword));
    }

    void install() {
        install(List.of());
    }
}
