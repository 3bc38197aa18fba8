package dev.moat.vault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Decrypts Ansible Vault text with the passwords the user gave, in Ansible's order: for a 1.2
 * text, the secrets whose vault id matches its label first, then every other secret in the order
 * given (Ansible's default, {@code vault_id_match = False}); a 1.1 text tries them all in order.
 *
 * <p>Every decrypted value is a secret of the run: {@link #reveal} hands it to the listeners
 * ({@code Secrets::add}, which masks it in every output), including values revealed before a
 * listener was added. The process has one current vault ({@link #current()}), set by the CLI from
 * {@code --vault-password-file}, {@code --vault-id} and {@code --ask-vault-pass} before anything is
 * loaded, because YAML is read in many places that all decrypt alike.
 */
public final class Vault {
    private static volatile Vault current = new Vault(List.of());

    private final List<VaultSecret> secrets;
    private final Set<String> revealed = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public Vault(List<VaultSecret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** The vault YAML loading decrypts with: no password unless the CLI installed one. */
    public static Vault current() {
        return current;
    }

    /** Makes {@code v} the process's vault (the CLI, before loading anything; tests). */
    public static void install(Vault v) {
        current = v == null ? new Vault(List.of()) : v;
    }

    public boolean hasSecrets() {
        return !secrets.isEmpty();
    }

    /**
     * The plaintext of {@code envelope}, as UTF-8 text.
     *
     * @throws VaultException when no password is given ({@link NoPassword}), the text is malformed,
     *                        or no password decrypts it (wrong password, or the text was altered)
     */
    public String decrypt(String envelope) {
        if (secrets.isEmpty()) throw new NoPassword();
        VaultText v = VaultText.parse(envelope);
        for (VaultSecret s : candidates(v.label())) {
            byte[] plain = Aes256.decrypt(v, s.password());
            if (plain != null) return new String(plain, StandardCharsets.UTF_8);
        }
        throw new VaultException("no vault password given decrypts it (" + tried(v.label())
                + "): a wrong password, or the encrypted text was changed");
    }

    private List<VaultSecret> candidates(String label) {
        List<VaultSecret> out = new ArrayList<>();
        if (label != null) for (VaultSecret s : secrets) if (s.label().equals(label)) out.add(s);
        for (VaultSecret s : secrets) if (!out.contains(s)) out.add(s);
        return out;
    }

    private String tried(String label) {
        List<String> labels = new ArrayList<>();
        for (VaultSecret s : candidates(label)) labels.add(s.label());
        return (label == null ? "" : "vault id '" + label + "'; ") + "tried " + String.join(", ", labels);
    }

    /** Records {@code plaintext} as secret and tells every listener. */
    public void reveal(String plaintext) {
        if (plaintext == null || plaintext.isEmpty()) return;
        if (revealed.add(plaintext)) for (Consumer<String> l : listeners) l.accept(plaintext);
    }

    /** {@code listener} hears every value revealed so far and from now on. */
    public void onReveal(Consumer<String> listener) {
        listeners.add(listener);
        for (String s : revealed) listener.accept(s);
    }

    /** Vault text met while no vault password was given. */
    public static final class NoPassword extends VaultException {
        NoPassword() {
            super("no vault password given; pass --vault-password-file FILE, --vault-id [LABEL@]FILE (or LABEL@prompt),"
                    + " or --ask-vault-pass");
        }
    }
}
