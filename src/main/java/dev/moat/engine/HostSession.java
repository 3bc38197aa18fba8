package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.module.Fact;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.TaskException;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * One host's connection for a run, with its fact cache. Facts are read in batches: everything a
 * play can know up front in one round trip per user the play's tasks run as (usually one), then
 * only what a change made stale: a fact is stale when a step touched a resource that
 * {@link FactKeys#invalidates} it, {@code "*"} (a command may have changed anything) included.
 * Each {@link RunAs} has its own cache, since a fact read through sudo as one user may differ for
 * another (permissions, {@code ~}); a change goes stale for every user.
 *
 * <p>A task that logs in as another user ({@code remote_user}, see {@link RunAs#login}) runs its
 * reads and steps over a connection of that user's, opened the first time one is needed and kept
 * to the end of the run: a session is one host's connections, one per login user. The host's own
 * connection (the first) is the run's: it holds the host's lock, and moat's machinery (journal,
 * lockout guard, rollback) runs over it as root, so one run keeps one journal on the host whoever
 * made each change.
 *
 * <p>Shared by the host's own thread and the threads of hosts that delegate tasks to it
 * ({@code delegate_to}), so the cache is guarded; commands themselves run concurrently over the
 * one connection (the transport is thread-safe), and a change on this host is serialised by the
 * run's change lock, not here.
 */
public final class HostSession {
    private Transport transport;
    /** Opens a connection to this host as another login user, or null where there is none (the controller). */
    private final Logins logins;
    /** The connections of other login users, by user, opened as tasks needed them. */
    private final Map<String, Transport> others = new java.util.LinkedHashMap<>();
    private final Map<RunAs, Cache> caches = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger roundTrips = new java.util.concurrent.atomic.AtomicInteger();

    /** The facts read as one user, and which of them a change made stale. */
    private static final class Cache {
        final Map<String, FactOutput> facts = new HashMap<>();
        final Set<String> stale = new HashSet<>();
    }

    /** How a session opens a connection to its host as another login user. */
    @FunctionalInterface
    public interface Logins {
        Transport open(String user) throws IOException;
    }

    /** A session with the one connection {@code transport} (tasks' {@code remote_user} then runs over it, as on the controller). */
    public HostSession(Transport transport) {
        this(transport, null);
    }

    /** A session whose tasks log in as other users through {@code logins}. */
    public HostSession(Transport transport, Logins logins) {
        this.transport = transport;
        this.logins = logins;
    }

    public String host() {
        return transport.host();
    }

    public synchronized Transport transport() {
        return transport;
    }

    /**
     * The connection {@code as} runs over: the host's own one, or (for another login user) that
     * user's, opened now if it is the first command as that user.
     */
    synchronized Transport transport(RunAs as) throws IOException {
        String user = as.login();
        if (user == null || logins == null || user.equals(transport.user())) return transport;
        Transport t = others.get(user);
        if (t == null) {
            try {
                t = logins.open(user);
            } catch (IOException e) {
                // Not the host being unreachable: its own connection stands, so the task fails and the host is rolled back over it.
                throw new IOException("could not log in as " + user + " (remote_user): " + e.getMessage(), e);
            }
            others.put(user, t);
        }
        return t;
    }

    /** The login users this session has a connection of its own for, besides the host's own connection. */
    public synchronized java.util.Set<String> otherLogins() {
        return java.util.Set.copyOf(others.keySet());
    }

    /**
     * After the connection was lost: goes on over {@code fresh}, with nothing read before trusted;
     * other users' connections are closed (they were lost with it) and opened again when needed.
     */
    public synchronized void reconnected(Transport fresh) {
        Transport lost = transport;
        transport = fresh;
        caches.clear();
        closeOthers();
        try {
            lost.close();
        } catch (RuntimeException e) {
            // The old connection is gone already; closing it is only tidying.
        }
    }

    /** Closes every connection of the session: other users' first, the host's own last. */
    public synchronized void close() {
        closeOthers();
        transport.close();
    }

    private void closeOthers() {
        for (Transport t : others.values()) {
            try {
                t.close();
            } catch (RuntimeException e) {
                // Tidying only: the run no longer needs it.
            }
        }
        others.clear();
    }

    /** How many exec round trips this session made (reads and steps). */
    public int roundTrips() {
        return roundTrips.get();
    }

    /** Reads, through sudo as the default become user or as the login user, what of {@code facts} is missing or stale. */
    public void read(List<? extends Fact<?>> facts, boolean become) throws IOException, TaskException {
        read(facts, new RunAs(become, null));
    }

    /** Reads, as {@code as}, whatever of {@code facts} is not cached for that user or is stale, in one round trip. */
    public synchronized void read(List<? extends Fact<?>> facts, RunAs as) throws IOException, TaskException {
        Cache cache = caches.computeIfAbsent(as, k -> new Cache());
        List<Fact<?>> need = new ArrayList<>();
        for (Fact<?> f : FactBatch.distinct(facts)) {
            if (!cache.facts.containsKey(f.key()) || cache.stale.contains(f.key())) need.add(f);
        }
        if (need.isEmpty()) return;
        String script = FactBatch.script(need);
        ReadDump.write(host(), script);
        ExecResult r = exec(as, as.command(script));
        if (r.rc() != 0 && r.stdout().length == 0) {
            throw new TaskException("reading facts" + (as.user() == null ? "" : " as " + as.user())
                    + (as.login() == null ? "" : " (logged in as " + as.login() + ")") + " failed (exit "
                    + r.rc() + "): " + r.err().strip());
        }
        Map<String, FactOutput> out = FactBatch.parse(need, r.stdout());
        cache.facts.putAll(out);
        cache.stale.removeAll(out.keySet());
    }

    /**
     * What {@code fact} printed when read as {@code as}, if it was read and nothing made it stale
     * since; else null. Taken once: a second task running the same program runs it afresh.
     */
    public synchronized FactOutput take(Fact<?> fact, RunAs as) {
        Cache c = caches.get(as);
        if (c == null || c.stale.contains(fact.key())) return null;
        return c.facts.remove(fact.key());
    }

    /** The facts a task declared, after {@link #read} as the login user or the default become user. */
    public Facts facts() {
        return facts(null);
    }

    /** The facts read as {@code as} (null: whichever user read them first), after {@link #read}. */
    public Facts facts(RunAs as) {
        return new Facts() {
            @Override
            public <T> T get(Fact<T> fact) throws TaskException {
                FactOutput out = lookup(as, fact.key());
                if (out == null) throw new TaskException("fact '" + fact.key() + "' was not read (a module bug)");
                return fact.parse(out);
            }
        };
    }

    private synchronized FactOutput lookup(RunAs as, String key) {
        if (as != null) {
            Cache c = caches.get(as);
            return c == null ? null : c.facts.get(key);
        }
        for (Cache c : caches.values()) if (c.facts.containsKey(key)) return c.facts.get(key);
        return null;
    }

    /** Marks {@code facts} stale for every user: the next {@link #read} fetches them again (a retry's fresh look). */
    public synchronized void forget(List<? extends Fact<?>> facts) {
        for (Cache c : caches.values()) for (Fact<?> f : facts) if (c.facts.containsKey(f.key())) c.stale.add(f.key());
    }

    /** Marks what a step changed so later reads, as any user, fetch it again. */
    public synchronized void touched(Set<String> keys) {
        for (Cache c : caches.values()) {
            for (String k : c.facts.keySet()) {
                for (String t : keys) {
                    if (FactKeys.invalidates(t, k)) {
                        c.stale.add(k);
                        break;
                    }
                }
            }
        }
    }

    /** Runs {@code c} over the host's own connection: moat's machinery (journal, lock, guard, restore) and tasks without a login of their own. */
    public ExecResult exec(Command c) throws IOException {
        roundTrips.incrementAndGet();
        return transport().exec(c);
    }

    /** Runs {@code c} over the connection of {@code as}'s login user ({@link #transport(RunAs)}). */
    public ExecResult exec(RunAs as, Command c) throws IOException {
        Transport t = transport(as);
        roundTrips.incrementAndGet();
        return t.exec(c);
    }
}
