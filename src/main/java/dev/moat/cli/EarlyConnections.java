package dev.moat.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import dev.moat.transport.Endpoint;
import dev.moat.transport.Transport;

/**
 * The connections a playbook run opens as soon as it knows its first hosts and how to reach them, on
 * threads of their own, while it builds what comes before its first task (printers, run record,
 * runner): TCP, SSH handshake and login then overlap start-up instead of following it (issue 15).
 * The runner takes a host's connection with {@link #take} when it would open the same one (the same
 * {@link Endpoint}: address, port, user, key, jump, ProxyCommand); a connection opened for anything
 * else is closed and the runner connects as it always did. A failed attempt gives the runner the very
 * error it would have met. Nothing is sent but the login; what the run never took is closed by
 * {@link #close}.
 */
final class EarlyConnections implements AutoCloseable {
    /** How one connection is opened: the run's own connector. */
    interface Opener {
        Transport open(Endpoint e) throws IOException;
    }

    static final EarlyConnections NONE = new EarlyConnections();

    private record Early(Endpoint endpoint, CompletableFuture<Transport> transport) {}

    private final Map<String, Early> byHost = new ConcurrentHashMap<>();

    private EarlyConnections() {}

    /** Starts connecting to each host of {@code endpoints}, each on a daemon thread of its own. */
    static EarlyConnections start(Map<String, Endpoint> endpoints, Opener opener) {
        if (endpoints.isEmpty()) return NONE;
        EarlyConnections ec = new EarlyConnections();
        for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
            CompletableFuture<Transport> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(opener.open(e.getValue()));
                } catch (IOException | RuntimeException | Error ex) {
                    f.completeExceptionally(ex);
                }
            }, "moat-connect-" + e.getKey());
            t.setDaemon(true);
            ec.byHost.put(e.getKey(), new Early(e.getValue(), f));
            t.start();
        }
        return ec;
    }

    /**
     * {@code host}'s early connection when it was opened for {@code wanted} (waiting for it to be
     * made), or its failure as the error connecting would have raised; null when none was started
     * for the host or it was started for another endpoint (then it is closed). Each is taken once.
     */
    Transport take(String host, Endpoint wanted) throws IOException {
        Early early = byHost.remove(host);
        if (early == null) return null;
        if (!early.endpoint().equals(wanted)) {
            closeWhenDone(early);
            return null;
        }
        try {
            return early.transport().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeWhenDone(early);
            throw new java.io.InterruptedIOException("interrupted while connecting to " + host);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IOException(c);
        }
    }

    /** How many connections were started and not yet taken: what {@link #close} will close. */
    int untaken() {
        return byHost.size();
    }

    /** Closes every connection not taken, now or as soon as it is made. */
    @Override
    public void close() {
        for (String h : byHost.keySet()) {
            Early early = byHost.remove(h);
            if (early != null) closeWhenDone(early);
        }
    }

    private static void closeWhenDone(Early early) {
        early.transport().whenComplete((t, ex) -> {
            if (t != null) t.close();
        });
    }
}
