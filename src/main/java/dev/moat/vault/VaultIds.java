package dev.moat.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.moat.MoatException;

/**
 * The vault passwords the user gave, read as {@code ansible-playbook} reads them: each
 * {@code --vault-id [LABEL@]SOURCE} in order (SOURCE a file, an executable, or {@code prompt}),
 * then each {@code --vault-password-file FILE} (label "default"), then {@code --ask-vault-pass}.
 * A file holds the password (surrounding whitespace dropped); an executable file is run and its
 * stdout is the password (its stderr stays on the terminal, so it may prompt); one named
 * {@code *-client} (Ansible's client scripts) gets {@code --vault-id LABEL}. A prompt needs a
 * terminal and is refused without one. {@code ansible.cfg}'s {@code vault_password_file} is one
 * more password file: pass it to {@link #load} after the command line's.
 *
 * <pre>
 * Vault v = VaultIds.load(List.of("prod@~/.vault-prod"), List.of(Path.of(".vault_pass")), false, prompt);
 * </pre>
 */
public final class VaultIds {
    /** Reads a password from the terminal without echo; null when there is no terminal. */
    public interface Prompt {
        char[] ask(String prompt);
    }

    /** The most a password script may take before moat gives up on it. */
    static final long SCRIPT_SECONDS = 60;

    private VaultIds() {}

    /**
     * @throws MoatException exit 64 naming the option when a source is missing, unreadable, empty,
     *                       fails, or is a prompt without a terminal
     */
    public static Vault load(List<String> vaultIds, List<Path> passwordFiles, boolean ask, Prompt prompt) {
        List<VaultSecret> out = new ArrayList<>();
        for (String slug : vaultIds) {
            int at = slug.indexOf('@');
            String label = at < 0 ? VaultSecret.DEFAULT_LABEL : slug.substring(0, at);
            String source = at < 0 ? slug : slug.substring(at + 1);
            String option = "--vault-id " + slug;
            if (source.isEmpty()) throw MoatException.usage(option + ": expected LABEL@FILE, LABEL@prompt or FILE");
            if (source.equals("prompt") || source.equals("prompt_ask_vault_pass")) {
                out.add(new VaultSecret(label, ask(prompt, option, "Vault password (" + label + "): ")));
            } else {
                out.add(new VaultSecret(label, read(Path.of(expand(source)), label, option)));
            }
        }
        for (Path f : passwordFiles) {
            out.add(new VaultSecret(VaultSecret.DEFAULT_LABEL, read(f, VaultSecret.DEFAULT_LABEL, "--vault-password-file " + f)));
        }
        if (ask) out.add(new VaultSecret(VaultSecret.DEFAULT_LABEL, ask(prompt, "--ask-vault-pass", "Vault password: ")));
        return new Vault(out);
    }

    private static char[] ask(Prompt prompt, String option, String question) {
        char[] pw = prompt == null ? null : prompt.ask(question);
        if (pw == null) throw MoatException.usage(option + " needs a terminal to ask on; use --vault-password-file FILE instead");
        if (pw.length == 0) throw MoatException.usage(option + ": the vault password is empty");
        return pw;
    }

    /** The password in {@code file}, or the stdout of {@code file} when it is executable. */
    static char[] read(Path file, String label, String option) {
        if (!Files.exists(file)) throw MoatException.usage(option + ": no such file " + file.toAbsolutePath());
        if (!Files.isRegularFile(file)) throw MoatException.usage(option + ": " + file + " is not a regular file");
        byte[] bytes;
        if (Files.isExecutable(file)) {
            bytes = run(file, label, option);
        } else {
            try {
                if (Files.size(file) > 64 * 1024) throw MoatException.usage(option + ": " + file + " is too large to be a password file");
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw MoatException.usage(option + ": cannot read " + file + ": " + e.getMessage());
            }
        }
        String pw = new String(bytes, StandardCharsets.UTF_8).strip();
        if (pw.isEmpty()) throw MoatException.usage(option + ": " + file + " gives an empty vault password");
        return pw.toCharArray();
    }

    private static byte[] run(Path file, String label, String option) {
        List<String> command = new ArrayList<>(List.of(file.toAbsolutePath().toString()));
        if (isClient(file)) command.addAll(List.of("--vault-id", label));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(64 * 1024);
            }
            if (!p.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw MoatException.usage(option + ": the password script " + file + " did not finish in " + SCRIPT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw MoatException.usage(option + ": the password script " + file + " exited with " + p.exitValue()
                        + " (if it is not a script, remove its executable bit)");
            }
            return out;
        } catch (IOException e) {
            throw MoatException.usage(option + ": cannot run the password script " + file + ": " + e.getMessage()
                    + " (if it is not a script, remove its executable bit)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MoatException.usage(option + ": interrupted while running " + file);
        }
    }

    /** Ansible's {@code script_is_client}: the name without its extension ends in "-client". */
    static boolean isClient(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).endsWith("-client");
    }

    private static String expand(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
