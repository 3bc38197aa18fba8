package dev.moat.yaml;

/**
 * A YAML scalar: {@code value} is a String, Integer/Long, Double, Boolean or null, typed as YAML 1.1
 * does for plain scalars (Ansible's yes/no/on/off booleans included); quoted scalars stay strings.
 */
public record ScalarNode(Mark mark, Object value, boolean quoted) implements Node {
    @Override
    public Object toPlain() {
        return value;
    }

    /** The scalar as text, as Ansible would template it ("8000", "true", ""). */
    public String text() {
        return value == null ? "" : String.valueOf(value);
    }
}
