package dev.moat.yaml;

/**
 * A YAML scalar: {@code value} is a String, Integer/Long, Double, Boolean or null, typed as YAML 1.1
 * does for plain scalars (Ansible's yes/no/on/off booleans included); quoted scalars stay strings.
 * {@code written} is the scalar's text as written (null when not known), which tells {@code 0644}
 * (YAML 1.1 octal, 420) from {@code 420}.
 */
public record ScalarNode(Mark mark, Object value, boolean quoted, String written) implements Node {
    public ScalarNode(Mark mark, Object value, boolean quoted) {
        this(mark, value, quoted, null);
    }

    @Override
    public Object toPlain() {
        return value;
    }

    /** The scalar as text, as Ansible would template it ("8000", "true", ""). */
    public String text() {
        return value == null ? "" : String.valueOf(value);
    }
}
