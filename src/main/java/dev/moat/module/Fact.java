package dev.moat.module;

/**
 * A named read on a host: a shell snippet whose output a parser turns into a value. Facts with the
 * same {@link #key()} are read once per host and round trip. Keys double as resource names for
 * invalidation: after a task changes resource {@code file:/etc/motd}, facts with that key are read again.
 *
 * <p>The snippet runs inside one batched {@code sh} script as root (when the play becomes); it must
 * not read stdin and should exit non-zero only when the read itself failed.
 */
public interface Fact<T> {
    String key();

    String script();

    T parse(FactOutput out) throws TaskException;
}
