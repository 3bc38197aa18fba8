package dev.moat.transport;

import java.io.IOException;

/**
 * A live connection to one host that runs shell scripts. One per host per run, reused by every task;
 * implementations are thread-safe but callers run one command at a time per host.
 */
public interface Transport extends AutoCloseable {
    /** The inventory name of the host this connects to. */
    String host();

    /** The user this connection logged in as, or null where that is not known (or not a login: the controller). */
    default String user() {
        return null;
    }

    /**
     * Runs {@code command.script()} with {@code sh -c} on the host (through sudo when
     * {@code command.become()}), feeds it {@code command.stdin()}, and waits for it to end.
     *
     * @throws UnreachableException when the connection is lost
     * @throws IOException on a timeout or another transport failure
     */
    ExecResult exec(Command command) throws IOException;

    @Override
    void close();
}
