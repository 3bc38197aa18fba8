package dev.moat.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * What the hosts of one batch share while each runs the play on a thread of its own: the results
 * of {@code run_once} tasks (the batch's first host still in the play runs one; the others wait
 * for it and take its result as theirs), each {@code throttle}d task's limit, and the failure of
 * an {@code any_errors_fatal} task, after which no host of the batch starts another task (hosts wait
 * for each other at such a task, as under Ansible's linear strategy).
 *
 * <p>Hosts do not wait for each other otherwise, so a {@code run_once} task waits as long as the
 * host that runs it takes to get there (or to leave the play, when it never does: a host whose
 * enclosing block's condition was false, which hands the task to the next host).
 */
final class BatchSync {
    /** A {@code run_once} task's result, and whether this host is the one that ran it. */
    record Once(TaskResult result, boolean ranHere) {}

    private final List<String> hosts;
    private final Set<String> departed = new HashSet<>();
    private final Set<String> started = new HashSet<>();
    /** Hosts waiting here now (for a run_once result or at a barrier): a barrier does not wait for them. */
    private final Set<String> blocked = new HashSet<>();
    /** any_errors_fatal key to the hosts that finished that task. */
    private final Map<Object, Set<String>> arrived = new HashMap<>();
    /** run_once key to the host running it now (a String), or its result. */
    private final Map<Object, Object> once = new HashMap<>();
    private final Map<Object, Semaphore> throttles = new ConcurrentHashMap<>();
    private volatile String fatal;

    BatchSync(List<String> hosts) {
        this.hosts = List.copyOf(hosts);
    }


    /**
     * Runs {@code body} on {@code host} when it is the first host of the batch still in the play
     * and no host ran {@code key} yet; otherwise waits for the host that runs it and returns its result.
     */
    Once runOnce(Object key, String host, Supplier<TaskResult> body) throws InterruptedException {
        synchronized (this) {
            await(host, () -> once.get(key) instanceof TaskResult || (once.get(key) == null && host.equals(leader())));
            if (once.get(key) instanceof TaskResult r) return new Once(r, false);
            once.put(key, host);
        }
        TaskResult r = null;
        try {
            r = body.get();
            return new Once(r, true);
        } finally {
            synchronized (this) {
                if (r != null) once.put(key, r);
                else once.remove(key);
                notifyAll();
            }
        }
    }

    private String leader() {
        for (String h : hosts) if (!departed.contains(h)) return h;
        return null;
    }

    /** {@code host} has started the play (its thread runs; hosts beyond {@code --forks} wait for one). */
    synchronized void start(String host) {
        started.add(host);
    }

    /**
     * {@code host} finished {@code key}, an {@code any_errors_fatal} task: waits, as Ansible's linear
     * strategy does, until every other started host of the batch has finished it too (or left the
     * play), or one of them failed it; so no host starts the next task before the batch knows
     * whether the play goes on. Hosts not started yet (over {@code --forks}) start no task after such
     * a failure.
     */
    synchronized void arrive(Object key, String host) throws InterruptedException {
        arrived.computeIfAbsent(key, k -> new HashSet<>()).add(host);
        notifyAll();
        await(host, () -> fatal != null || !waitingFor(key));
    }

    /**
     * Waits, counted as blocked meanwhile: two hosts that wait for each other (one at a barrier, the
     * other for a run_once result the first is to produce, or at a barrier the first skipped) let
     * the barrier pass rather than wait forever.
     */
    private void await(String host, java.util.function.BooleanSupplier ready) throws InterruptedException {
        if (ready.getAsBoolean()) return;
        blocked.add(host);
        notifyAll();
        try {
            while (!ready.getAsBoolean()) wait();
        } finally {
            blocked.remove(host);
        }
    }

    private boolean waitingFor(Object key) {
        Set<String> done = arrived.get(key);
        for (String h : started) if (!departed.contains(h) && !done.contains(h) && !blocked.contains(h)) return true;
        return false;
    }

    /** {@code host} has left the play (done, failed or unreachable): a run_once task it did not reach passes on. */
    synchronized void depart(String host) {
        departed.add(host);
        notifyAll();
    }

    /** The limit of task {@code key}, {@code throttle: n}: at most n hosts of the batch run it at once. */
    Semaphore throttle(Object key, int n) {
        return throttles.computeIfAbsent(key, k -> new Semaphore(n, true));
    }

    /** An {@code any_errors_fatal} task failed on {@code host}: the play ends for the whole batch. */
    synchronized void fatal(String host) {
        if (fatal == null) fatal = host;
        notifyAll();
    }

    /** The host whose {@code any_errors_fatal} failure ended the play, or null. */
    String fatal() {
        return fatal;
    }
}
