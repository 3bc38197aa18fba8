package dev.moat.module;

/** The facts read for one task on one host. */
public interface Facts {
    /** The parsed value of {@code fact}; it was declared by the module's reads, so it is present. */
    <T> T get(Fact<T> fact) throws TaskException;
}
