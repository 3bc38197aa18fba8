package dev.moat.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.moat.journal.Guard;
import dev.moat.journal.Ledger;
import dev.moat.journal.Snapshots;
import dev.moat.module.Module;
import dev.moat.template.Templar;

/** What every host's play shares in one run: options, modules, Jinja, the listener, the journal, the stop flag. */
final class RunContext {
    private final String runId;
    private final RunOptions options;
    private final Map<String, Module<?>> modules;
    private final Templar templar;
    private final RunListener listener;
    private final Snapshots snapshots;
    private final Guard guard;
    private final Duration guardTimeout;
    private final Function<String, String> reachability;
    private final AtomicBoolean stop;
    private final TaskGate gate;
    private final Reconnector reconnector;
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
    private final Map<String, Set<Integer>> sshEntries = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();

    RunContext(String runId, RunOptions options, Map<String, Module<?>> modules, Templar templar, RunListener listener,
               Snapshots snapshots, Guard guard, Duration guardTimeout, Function<String, String> reachability,
               AtomicBoolean stop, TaskGate gate, Reconnector reconnector, Delegates delegates) {
        this.delegates = delegates;
        this.runId = runId;
        this.options = options;
        this.modules = modules;
        this.templar = templar;
        this.listener = listener;
        this.snapshots = snapshots;
        this.guard = guard;
        this.guardTimeout = guardTimeout;
        this.reachability = reachability;
        this.stop = stop;
        this.gate = gate;
        this.reconnector = reconnector;
    }

    String runId() { return runId; }
    RunOptions options() { return options; }
    Map<String, Module<?>> modules() { return modules; }
    Templar templar() { return templar; }
    RunListener listener() { return listener; }
    Snapshots snapshots() { return snapshots; }
    Guard guard() { return guard; }
    Duration guardTimeout() { return guardTimeout; }
    boolean stopping() { return stop.get(); }
    TaskGate gate() { return gate; }
    Reconnector reconnector() { return reconnector; }
    Ledger ledger(String host) { return ledgers.computeIfAbsent(host, h -> new Ledger(sequence)); }
    Map<String, Ledger> ledgers() { return ledgers; }

    /** The journal entries of the paths the run's SSH-risk changes wrote on {@code host} (see {@link LockoutGuard}). */
    Set<Integer> sshEntries(String host) { return sshEntries.computeIfAbsent(host, h -> ConcurrentHashMap.newKeySet()); }

    private final Set<Object> endedPlays = ConcurrentHashMap.newKeySet();

    /** {@code meta: end_play}: no host starts another task of {@code play}. */
    void endPlay(Object play) { endedPlays.add(play); }

    boolean playEnded(Object play) { return endedPlays.contains(play); }

    /** Opens, or reuses, the run's one connection to an inventory host that a task is delegated to. */
    interface Delegates {
        HostSession session(String host, dev.moat.playbook.Play play) throws java.io.IOException;
    }

    private final Delegates delegates;
    private final Map<String, java.util.concurrent.locks.ReentrantLock> changeLocks = new ConcurrentHashMap<>();

    /** The connection of {@code host} (an inventory host) for a task of {@code play} delegated to it. */
    HostSession delegateSession(String host, dev.moat.playbook.Play play) throws java.io.IOException {
        return delegates.session(host, play);
    }

    /**
     * The lock every change on {@code host} is made under (journal, steps, settle, guard) and every
     * restore: its own tasks' and those delegated to it by other hosts' threads, one at a time, so
     * its journal stays in the order the changes were made.
     */
    java.util.concurrent.locks.ReentrantLock changeLock(String host) {
        return changeLocks.computeIfAbsent(host, h -> new java.util.concurrent.locks.ReentrantLock());
    }

    /**
     * Facts given to a host by another host's task with {@code delegate_facts: true}: gathered
     * (a module's {@code ansible_facts}) or set ({@code set_fact}, at its own precedence).
     */
    record GivenFacts(Map<String, Object> facts, boolean set) {}

    private final Map<String, java.util.Queue<GivenFacts>> given = new ConcurrentHashMap<>();

    /** {@code delegate_facts: true}: hands {@code facts} to {@code host}, which takes them before its next task. */
    void giveFacts(String host, Map<String, Object> facts, boolean set) {
        given.computeIfAbsent(host, h -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(new GivenFacts(Map.copyOf(facts), set));
    }

    /** The facts given to {@code host} since it last looked, oldest first (see {@link #giveFacts}). */
    List<GivenFacts> takeFacts(String host) {
        java.util.Queue<GivenFacts> q = given.get(host);
        List<GivenFacts> out = new ArrayList<>();
        if (q == null) return out;
        for (GivenFacts f; (f = q.poll()) != null; ) out.add(f);
        return out;
    }

    /** Opens a fresh connection to the host and runs {@code true}: null when that worked, else why not. */
    String confirmReachable(String host) {
        return reachability.apply(host);
    }

    /**
     * Ansible's lookup of a controller file ({@code src:}): absolute as it is; for a task of a role,
     * the role's SUBDIR/ ({@code files/}, {@code templates/}), then the role's directory; then the
     * playbook's SUBDIR/, then beside the playbook.
     */
    Path localPath(String path, String subdir, Path roleDir) {
        Path p = Path.of(path);
        if (p.isAbsolute()) return p;
        Path base = templar.baseDir();
        List<Path> tried = new ArrayList<>();
        if (roleDir != null) {
            if (subdir != null) tried.add(roleDir.resolve(subdir).resolve(p));
            tried.add(roleDir.resolve(p));
        }
        if (subdir != null) tried.add(base.resolve(subdir).resolve(p));
        for (Path in : tried) if (Files.exists(in)) return in;
        return base.resolve(p);
    }
}
