package dev.moat.yaml;

/**
 * Something a loader accepted but the user should hear about (Ansible would do the same, perhaps
 * not what was meant), printed once before a run as {@code warning: file:line:column: message}.
 */
public record LoadWarning(Mark mark, String message) {
    @Override
    public String toString() {
        return mark + ": " + message;
    }
}
