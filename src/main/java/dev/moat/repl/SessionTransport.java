package dev.moat.repl;

import java.io.IOException;
import java.util.function.Consumer;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;

/**
 * The shell's one connection to its host, kept for the whole session and reconnected once,
 * saying so, when it drops. A command that finds the connection already gone (it dropped while the
 * shell sat at its prompt: the lost error carries no cause, nothing ran) is retried on the new
 * connection; one that lost it while running is not retried, since it may have run: the error says
 * so and the next command uses the new connection.
 */
public final class SessionTransport implements Transport {
    /** Opens a new connection to the host. */
    public interface Opener {
        Transport open() throws IOException;
    }

    private final Opener opener;
    private final Consumer<String> notice;
    private Transport current;

    public SessionTransport(Opener opener, Consumer<String> notice) throws IOException {
        this.opener = opener;
        this.notice = notice;
        this.current = opener.open();
    }

    @Override
    public String host() {
        return current().host();
    }

    private synchronized Transport current() {
        return current;
    }

    @Override
    public ExecResult exec(Command command) throws IOException {
        Transport t = current();
        try {
            return t.exec(command);
        } catch (UnreachableException lost) {
            boolean ranNothing = lost.getCause() == null;
            Transport fresh = reconnect(t, lost);
            if (!ranNothing) {
                throw new UnreachableException(lost.getMessage() + "; reconnected, but the command may or may not have run", lost);
            }
            return fresh.exec(command);
        }
    }

    private synchronized Transport reconnect(Transport dead, UnreachableException why) throws UnreachableException {
        if (current != dead) return current; // another caller reconnected already
        dead.close();
        try {
            current = opener.open();
        } catch (IOException e) {
            throw new UnreachableException(why.getMessage() + "; reconnecting failed: " + e.getMessage(), e);
        }
        notice.accept("the connection to " + current.host() + " dropped; reconnected");
        return current;
    }

    /** A view of this connection whose {@link #close()} does nothing: what a run borrows. */
    public Transport borrowed() {
        SessionTransport self = this;
        return new Transport() {
            @Override public String host() { return self.host(); }
            @Override public ExecResult exec(Command c) throws IOException { return self.exec(c); }
            @Override public void close() {}
        };
    }

    /** A brand-new connection, separate from the session's: the lockout guard's proof of reachability. */
    public Transport fresh() throws IOException {
        return opener.open();
    }

    @Override
    public synchronized void close() {
        current.close();
    }
}
