package dev.moat.repl;

import java.io.IOException;
import java.util.List;

import dev.moat.journal.RemoteLock;
import dev.moat.transport.Command;
import dev.moat.transport.Transport;

/**
 * The shell's {@link ChangeLock} on the host's real {@link RemoteLock}, the one {@code moat apply}
 * and {@code moat rollback} take: a second run is refused while the shell applies a change, and
 * the shell is refused while another run holds it. Taking it reverts a killed run's unconfirmed
 * guarded change first; that comes back as a notice.
 */
public record RemoteChangeLock(RemoteLock lock) implements ChangeLock {
    @Override
    public Held acquire(Transport host, String runId, String holder) throws IOException {
        RemoteLock.Outcome o = RemoteLock.outcome(host.exec(Command.root(lock.acquire(runId, holder))));
        if (!o.held()) throw new IOException(o.refusal());
        Held held = () -> {
            try {
                host.exec(Command.root(lock.release(runId)));
            } catch (IOException e) {
                // The lock dies with the session anyway.
            }
        };
        if (o.refused()) {
            held.close();
            throw new IOException(o.refusal());
        }
        return new Held() {
            @Override public void close() { held.close(); }
            @Override public List<String> notices() { return o.notices(); }
        };
    }
}
