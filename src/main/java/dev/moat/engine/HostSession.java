package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * One host's connection for a run, with its fact cache. Facts are read in batches: everything a
 * play can know up front in one round trip, then only what a change made stale: a fact is stale
 * when a step touched a resource that {@link FactKeys#invalidates} it, {@code "*"} (a command may
 * have changed anything) included.
 */
public final class HostSession {
    private final Transport transport;
    private final Map<String, FactOutput> cache = new HashMap<>();
    private final Set<String> touched = new HashSet<>();
    private int roundTrips;

    public HostSession(Transport transport) {
        this.transport = transport;
    }

    public String host() {
        return transport.host();
    }

    public Transport transport() {
        return transport;
    }

    /** How many exec round trips this session made (reads and steps). */
    public int roundTrips() {
        return roundTrips;
    }

    /** Reads whatever of {@code facts} is not cached or is stale, in one round trip. */
    public void read(List<? extends Fact<?>> facts, boolean become) throws IOException, TaskException {
        List<Fact<?>> need = new ArrayList<>();
        for (Fact<?> f : FactBatch.distinct(facts)) {
            if (!cache.containsKey(f.key()) || isStale(f.key())) need.add(f);
        }
        if (need.isEmpty()) return;
        ExecResult r = exec(Command.of(FactBatch.script(need), become));
        if (r.rc() != 0 && r.stdout().length == 0) {
            throw new TaskException("reading facts failed (exit " + r.rc() + "): " + r.err().strip());
        }
        Map<String, FactOutput> out = FactBatch.parse(need, r.stdout());
        // Touches are resolved to the cached keys they make stale, then forgotten.
        for (String k : cache.keySet()) if (!out.containsKey(k) && isStale(k)) staleKeys.add(k);
        touched.clear();
        cache.putAll(out);
        staleKeys.removeAll(out.keySet());
    }

    private final Set<String> staleKeys = new HashSet<>();

    private boolean isStale(String key) {
        if (staleKeys.contains(key)) return true;
        for (String t : touched) if (FactKeys.invalidates(t, key)) return true;
        return false;
    }

    /** The facts a task declared, after {@link #read}. */
    public Facts facts() {
        return new Facts() {
            @Override
            public <T> T get(Fact<T> fact) throws TaskException {
                FactOutput out = cache.get(fact.key());
                if (out == null) throw new TaskException("fact '" + fact.key() + "' was not read (a module bug)");
                return fact.parse(out);
            }
        };
    }

    /** Marks what a step changed so later reads fetch it again. */
    public void touched(Set<String> keys) {
        touched.addAll(keys);
    }

    public ExecResult exec(Command c) throws IOException {
        roundTrips++;
        return transport.exec(c);
    }
}
