package dev.moat.yaml;

/**
 * A value written with Ansible's {@code !unsafe} tag: its text is used verbatim, never rendered as
 * a template ({@code !unsafe '{{ not a template }}'}), as Ansible's {@code AnsibleUnsafeText} is.
 */
public record Unsafe(String text) {
    public Unsafe {
        if (text == null) throw new IllegalArgumentException("text");
    }

    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return text;
    }
}
