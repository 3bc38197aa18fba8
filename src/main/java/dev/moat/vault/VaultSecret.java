package dev.moat.vault;

/**
 * One vault password with its vault id ({@code --vault-id prod@file}; Ansible's "default" when
 * none was given). {@link #toString()} never shows the password.
 */
public record VaultSecret(String label, char[] password) {
    public static final String DEFAULT_LABEL = "default";

    public VaultSecret {
        if (label == null || label.isEmpty()) label = DEFAULT_LABEL;
        if (password == null || password.length == 0) throw new VaultException("the vault password for '" + label + "' is empty");
    }

    @Override
    public String toString() {
        return "VaultSecret[" + label + "]";
    }
}
