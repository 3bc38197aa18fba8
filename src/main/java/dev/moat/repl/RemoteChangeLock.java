package dev.moat.repl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.moat.journal.RemoteLock;
import dev.moat.journal.StaleGuard;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
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
        ExecResult r = host.exec(Command.root(lock.acquire(runId, holder)));
        if (r.rc() == RemoteLock.HELD) {
            throw new IOException("another moat run is changing this host: " + r.out().strip() + "; wait for it to finish");
        }
        if (!r.ok()) {
            throw new IOException("could not take the host's moat lock (exit " + r.rc() + "): " + (r.err().strip() + " " + r.out().strip()).strip());
        }
        Held held = () -> {
            try {
                host.exec(Command.root(lock.release(runId)));
            } catch (IOException e) {
                // The lock dies with the session anyway.
            }
        };
        List<String> notices = new ArrayList<>();
        for (StaleGuard g : StaleGuard.parse(r.out())) {
            if (!g.reverted()) {
                held.close();
                throw new IOException(g.describe() + "; not changing this host");
            }
            notices.add(g.describe());
        }
        return new Held() {
            @Override public void close() { held.close(); }
            @Override public List<String> notices() { return List.copyOf(notices); }
        };
    }
}
