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
 * <p>Shared by the host's own thread and the threads of hosts that delegate tasks to it
 * ({@code delegate_to}), so the cache is guarded; commands themselves run concurrently over the
 * one connection (the transport is thread-safe), and a change on this host is serialised by the
 * run's change lock, not here.
 */
public final class HostSession {
    private Transport transport;
    private final Map<RunAs, Cache> caches = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger roundTrips = new java.util.concurrent.atomic.AtomicInteger();

    /** The facts read as one user, and which of them a change made stale. */
    private static final class Cache {
        final Map<String, FactOutput> facts = new HashMap<>();
        final Set<String> stale = new HashSet<>();
    }

    public HostSession(Transport transport) {
        this.transport = transport;
    }

    public String host() {
        return transport.host();
    }

    public synchronized Transport transport() {
        return transport;
    }

    /** After the connection was lost: goes on over {@code fresh}, with nothing read before trusted. */
    public synchronized void reconnected(Transport fresh) {
        Transport lost = transport;
        transport = fresh;
        caches.clear();
        try {
            lost.close();
        } catch (RuntimeException e) {
            // The old connection is gone already; closing it is only tidying.
        }
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
        ExecResult r = exec(as.command(script));
        if (r.rc() != 0 && r.stdout().length == 0) {
            throw new TaskException("reading facts" + (as.user() == null ? "" : " as " + as.user()) + " failed (exit "
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

    public ExecResult exec(Command c) throws IOException {
        roundTrips.incrementAndGet();
        return transport().exec(c);
    }
}
