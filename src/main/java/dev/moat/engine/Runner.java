package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.moat.ExitCode;
import dev.moat.journal.Ledger;
import dev.moat.journal.RemoteLock;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.VarScope;
import dev.moat.transport.Command;
import dev.moat.transport.ControllerShell;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * Runs a playbook over hosts: each play's hosts in parallel up to {@code forks} (in {@code serial}
 * batches when the play asks), each host's tasks in order, one connection per host for the whole
 * run. A failed or unreachable host never stops the others; it sits out the later plays.
 */
public final class Runner {
    private final RunSetup setup;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, HostSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> registered = new ConcurrentHashMap<>();
    /** What include_vars read on each host: Ansible keeps it for the rest of the run, later plays included. */
    private final Map<String, Map<String, Object>> included = new ConcurrentHashMap<>();
    /** Each host's gathered facts, which later plays see as Ansible's do, gathering or not. */
    private final Map<String, Map<String, Object>> facts = new ConcurrentHashMap<>();
    private final Map<String, HostRecap> recap = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Hosts where a task that only checked would have changed something: a check run's drift (not a check_mode: false change). */
    private final Set<String> drifted = ConcurrentHashMap.newKeySet();
    private final RunContext ctx;
    private Function<String, Map<String, Object>> hostVars = h -> Map.of();

    public Runner(RunSetup setup) {
        this.setup = setup;
        this.ctx = new RunContext(setup.runId(), setup.options(), setup.modules(), setup.templar(), setup.listener(),
                setup.snapshots(), setup.guard(), setup.guardTimeout(), this::probe, stop, setup.gate(), new Reconnector() {
            @Override
            public Transport connect(String host) throws IOException {
                return setup.connector().connect(host, loggedIn(host));
            }

            @Override
            public void release(HostSession session) {
                if (!locked.remove(session.host())) return;
                try {
                    session.exec(new Command(setup.lock().release(setup.runId()), null, true, "root", java.time.Duration.ofSeconds(10), false));
                } catch (IOException | RuntimeException e) {
                    // The holder watches the old session, which ends when it closes: the lock goes with it.
                }
            }

            @Override
            public String relock(HostSession session) {
                try {
                    RemoteLock.Outcome refused = lock(session);
                    return refused == null ? null : refused.refusal();
                } catch (IOException | RuntimeException e) {
                    return "could not take the host's moat lock again: " + (e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        }, this::delegateSession);
    }

    /** Starts no new task from now on; hosts mid-change finish their task and roll back. */
    public void stop() {
        interrupted = true;
        stop.set(true);
    }

    /** Set by {@link #stop} (Ctrl-C), not by {@code max_fail_percentage}: the run then ends with 130. */
    private volatile boolean interrupted;

    /**
     * Runs {@code playbook}; {@code hostsOf} selects each play's hosts (pattern and limit applied),
     * {@code hostVars} gives a host's inventory variables with the magic ones.
     *
     * @return the exit code by the README's precedence (1 over 3 over 2 over 0)
     */
    public int run(Playbook playbook, Function<Play, List<String>> hostsOf, Function<String, Map<String, Object>> hostVars) {
        this.hostVars = hostVars;
        long t0 = System.nanoTime();
        RunListener listener = setup.listener();
        List<String> all = new ArrayList<>();
        Map<Play, List<String>> playHosts = new LinkedHashMap<>();
        for (Play p : playbook.plays()) {
            List<String> hs = hostsOf.apply(p);
            playHosts.put(p, hs);
            for (String h : hs) if (!all.contains(h)) all.add(h);
        }
        for (String h : all) recap.put(h, HostRecap.empty(h));
        listener.runStart(setup.runId(), playbook.file().toString(), all, setup.options().check());
        Set<String> out = ConcurrentHashMap.newKeySet();
        ExecutorService pool = daemons("moat-host", all.size());
        boolean reachedEnd = false;
        try {
            for (Play play : playbook.plays()) {
                if (stop.get()) break;
                List<String> hosts = new ArrayList<>(playHosts.get(play));
                hosts.removeIf(out::contains);
                // An unnamed play is named by its hosts pattern, as ansible-playbook's banner does.
                listener.playStart(play.name() == null || play.name().isBlank() ? play.hosts() : play.name(), hosts);
                int from = 0;
                for (int size : play.batches(hosts.size())) {
                    if (stop.get()) break;
                    List<String> batch = hosts.subList(from, Math.min(hosts.size(), from + size));
                    from += size;
                    List<String> standing = new ArrayList<>(playHosts.get(play));
                    standing.removeIf(out::contains);
                    Map<String, Object> magic = MagicVars.of(playbook, play, standing, playHosts.get(play), batch, setup.options());
                    Set<String> failed = ConcurrentHashMap.newKeySet();
                    List<Future<?>> futures = new ArrayList<>();
                    BatchSync sync = new BatchSync(batch);
                    // The hosts the pool starts at once; the rest start as these finish (and start no task after an any_errors_fatal failure).
                    for (String h : batch.subList(0, Math.min(batch.size(), Math.max(1, setup.options().forks())))) sync.start(h);
                    for (String h : batch) {
                        futures.add(pool.submit(() -> {
                            try {
                                if (!runHost(h, play, magic, sync)) {
                                    out.add(h);
                                    failed.add(h);
                                }
                            } finally {
                                sync.depart(h);
                            }
                            listener.hostDone(h, recap.get(h), ctx.ledgers().get(h));
                        }));
                    }
                    for (Future<?> f : futures) await(f);
                    Integer max = play.maxFailPercentage();
                    if (max != null && !batch.isEmpty() && failed.size() * 100.0 / batch.size() > max) {
                        listener.detail(null, "max_fail_percentage " + max + "% exceeded in a batch: stopping the run");
                        stop.set(true);
                    }
                    if (sync.fatal() != null) {
                        listener.detail(null, "any_errors_fatal: a task failed on " + sync.fatal() + ": the play ended for every host; stopping the run");
                        stop.set(true);
                    }
                }
            }
            reachedEnd = true;
        } finally {
            pool.shutdownNow();
            finish(reachedEnd);
        }
        int exit = ExitCode.OK;
        for (HostRecap r : recap.values()) {
            if (r.failed() > 0) exit = ExitCode.worst(exit, ExitCode.FAILED);
            else if (r.unreachable() > 0) exit = ExitCode.worst(exit, ExitCode.UNREACHABLE);
            else if (setup.options().check() && drifted.contains(r.host())) exit = ExitCode.worst(exit, ExitCode.DRIFT);
        }
        if (interrupted) exit = ExitCode.INTERRUPTED;
        listener.runEnd(setup.runId(), Map.copyOf(recap), exit, (System.nanoTime() - t0) / 1_000_000);
        return exit;
    }

    /**
     * Ends the run on every host at once, one command each: records the state the run left, so
     * {@code moat rollback} can see later edits (only when the run got to its end), and releases the
     * host's lock; then disconnects. Host after host this would cost a round trip per host.
     */
    private void finish(boolean seal) {
        List<String> hosts = new ArrayList<>(sessions.keySet());
        if (hosts.isEmpty()) return;
        ExecutorService ends = daemons("moat-end", hosts.size());
        List<Future<?>> futures = new ArrayList<>();
        for (String h : hosts) futures.add(ends.submit(() -> finishHost(h, seal)));
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a second Ctrl-C halts the JVM; until then, end every host cleanly
                } catch (ExecutionException e) {
                    break; // finishHost reports what it can; the lock dies with the session anyway
                }
            }
        }
        ends.shutdownNow();
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** A pool of daemon threads named {@code name}, one per host up to {@code --forks}. */
    private ExecutorService daemons(String name, int hosts) {
        return Executors.newFixedThreadPool(Math.max(1, Math.min(setup.options().forks(), hosts)), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private void finishHost(String host, boolean seal) {
        HostSession session = sessions.get(host);
        StringBuilder script = new StringBuilder();
        boolean sealing = false;
        Ledger ledger = ctx.ledgers().get(host);
        if (seal && ledger != null) {
            for (Ledger.Entry en : ledger.toUndo(null, 0)) {
                script.append("(").append(setup.snapshots().seal(setup.runId(), en.seq(), en.undo())).append(")\n");
                sealing = true;
            }
        }
        if (locked.contains(host)) script.append(setup.lock().release(setup.runId()));
        try {
            if (script.length() > 0) session.exec(Command.root(script.toString()));
        } catch (IOException | RuntimeException ex) {
            if (sealing) setup.listener().detail(host, "could not record the post-run state for rollback: " + ex.getMessage());
        } finally {
            session.close();
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        }
    }

    public Map<String, HostRecap> recap() {
        return recap;
    }

    /** What the run changed on each host, for the run record and {@code moat rollback}. */
    public Map<String, Ledger> ledgers() {
        return ctx.ledgers();
    }

    private boolean runHost(String host, Play play, Map<String, Object> magic, BatchSync sync) {
        // connection: local (every task on the controller): no SSH, no lock; nothing a host's journal could hold.
        if (play.onController()) return runPlay(host, play, null, magic, sync, new HostSession(new ControllerShell(host)));
        HostSession session = sessions.get(host);
        Map<String, Object> connection = connectionVars(host, play);
        Object user = connection.get("ansible_user");
        // A play that logs in as another user than the host's connection does runs its tasks over that user's connection.
        String playLogin = session != null ? otherLogin(host, user) : null;
        if (session != null && user == null && loginUsers.get(host) != null) {
            TaskResult r = new TaskResult(host, "connect", "ssh", null, Status.FAILED, false, "remote_user: this play names no"
                    + " login user, but the host's connection was opened as " + loginUsers.get(host) + " by an earlier play; name the"
                    + " user this play logs in as (remote_user, ansible_user or -u)",
                    null, null, Map.of("failed", true), 0, false, null);
            recap.computeIfPresent(host, (k, v) -> v.add(r));
            setup.listener().taskResult(r);
            return false;
        }
        if (session == null) {
            try {
                synchronized (connecting(host)) {
                    // A task delegated to this host may have connected it meanwhile (see delegateSession).
                    session = sessions.get(host);
                    if (session != null) {
                        return runPlay(host, play, otherLogin(host, user), magic, sync, session);
                    }
                    if (user != null) loginUsers.put(host, user);
                    session = new HostSession(setup.connector().connect(host, connection), logins(host));
                    sessions.put(host, session);
                }
                RemoteLock.Outcome refused = lock(session);
                if (refused != null) {
                    TaskResult r = new TaskResult(host, "lock", "moat", null, Status.FAILED, false, refused.refusal(), null, null,
                            Map.of("failed", true), 0, false, null);
                    recap.computeIfPresent(host, (k, v) -> v.add(r).withNote(refused.note()));
                    setup.listener().taskResult(r);
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                TaskResult r = new TaskResult(host, "connect", "ssh", null, Status.UNREACHABLE, false, msg, null, null,
                        Map.of("unreachable", true), 0, false, null);
                recap.computeIfPresent(host, (k, v) -> v.add(r));
                setup.listener().taskResult(r);
                return false;
            }
        }
        return runPlay(host, play, playLogin, magic, sync, session);
    }

    /** {@code user} when a play logs in as it and {@code host}'s connection was opened as another, else null. */
    private String otherLogin(String host, Object user) {
        return user != null && !user.equals(loginUsers.get(host)) ? String.valueOf(user) : null;
    }

    /**
     * How {@code host}'s session logs in as another user for a task's {@code remote_user}: as its
     * own connection was opened (address, port, key, host-key check), with that user.
     */
    private HostSession.Logins logins(String host) {
        return user -> {
            Map<String, Object> vars = loggedIn(host);
            vars.put("ansible_user", user);
            return setup.connector().connect(host, vars);
        };
    }

    private final Map<String, Object> connectLocks = new ConcurrentHashMap<>();

    /** What opening {@code host}'s connection is done under: its own thread and delegating ones may race to it. */
    private Object connecting(String host) {
        return connectLocks.computeIfAbsent(host, h -> new Object());
    }

    /**
     * The run's connection to {@code host} for a task of {@code play} delegated to it: the one its own
     * play opened, or a new one, opened as that host's variables say (its {@code ansible_host}, port,
     * user and key; the play's {@code remote_user} where it names no user) and locked for this run like
     * any host's. It stays open to the end of the run, which seals its journal and releases its lock.
     */
    private HostSession delegateSession(String host, Play play) throws IOException {
        synchronized (connecting(host)) {
            HostSession s = sessions.get(host);
            if (s != null) return s;
            Map<String, Object> connection = connectionVars(host, play);
            Transport t = setup.connector().connect(host, connection);
            s = new HostSession(t, logins(host));
            RemoteLock.Outcome refused;
            try {
                refused = lock(s);
            } catch (IOException | RuntimeException e) {
                t.close();
                throw e;
            }
            if (refused != null) {
                t.close();
                throw new IOException(refused.refusal());
            }
            if (connection.get("ansible_user") != null) loginUsers.put(host, connection.get("ansible_user"));
            sessions.put(host, s);
            return s;
        }
    }

    /**
     * {@code play} on {@code host} through {@code session}, with what earlier plays left it (registered,
     * included, facts); {@code playLogin}: the user the play logs in as where the session's own connection is another's, else null.
     */
    private boolean runPlay(String host, Play play, String playLogin, Map<String, Object> magic, BatchSync sync, HostSession session) {
        Map<String, Object> vars = new LinkedHashMap<>(magic);
        vars.putAll(hostVars.apply(host)); // the command line's (ansible_check_mode, ansible_limit) win
        VarScope scope = VarScope.of(setup.templar(), vars, play, setup.options().extraVars());
        registered.getOrDefault(host, Map.of()).forEach(scope::register);
        scope.include(included.getOrDefault(host, Map.of()));
        scope.addFacts(facts.getOrDefault(host, Map.of()));
        HostPlay hp = new HostPlay(host, play, playLogin, session, scope, ctx, recap.get(host), sync);
        boolean ok = hp.run(); // never throws: HostPlay turns errors into a failed, rolled-back host
        if (hp.stranded()) hp.recover(reconnect(host, session));
        if (hp.drifted()) drifted.add(host);
        registered.put(host, scope.registered());
        included.put(host, scope.included());
        facts.put(host, scope.facts());
        recap.put(host, hp.recap());
        return ok;
    }

    /**
     * Takes the host's remote lock for a changing run; null when taken (or not needed), else why
     * not. Taking it fires a killed run's stale lockout guard at once; each is reported, and one
     * whose revert failed keeps this run off the host, which is then in no known state.
     */
    private RemoteLock.Outcome lock(HostSession session) throws IOException {
        if (setup.lock() == null) return null;
        RemoteLock.Outcome o = RemoteLock.outcome(session.exec(Command.root(setup.lock().acquire(setup.runId(), setup.who()))));
        String host = session.host();
        if (o.held()) locked.add(host);
        for (String notice : o.notices()) {
            setup.listener().taskResult(new TaskResult(host, "stale lockout guard", "rollback", null, Status.OK, false, notice,
                    null, null, Map.of(), 0, false, null));
            recap.computeIfPresent(host, (k, v) -> v.withNote(notice));
        }
        return o.refused() ? o : null;
    }

    private final Set<String> locked = ConcurrentHashMap.newKeySet();
    /** The user each host's connection logged in as, where one was named. */
    private final Map<String, Object> loginUsers = new ConcurrentHashMap<>();

    /** {@code host}'s variables with the user its connection logged in as: what a new connection to it needs. */
    private Map<String, Object> loggedIn(String host) {
        Map<String, Object> out = new LinkedHashMap<>(connectionVars(hostVars.apply(host), null));
        if (loginUsers.containsKey(host)) out.put("ansible_user", loginUsers.get(host));
        return out;
    }

    /**
     * The variable a host's variables carry {@code -u}/ansible.cfg's {@code remote_user} in: the login
     * user when neither the host's {@code ansible_user} nor the play's {@code remote_user} names one.
     */
    public static final String DEFAULT_USER = "moat_default_remote_user";

    /**
     * What {@code host}'s connection for {@code play} is opened with: its variables, with the login
     * user as Ansible chooses it: the host's {@code ansible_user}, else the play's {@code remote_user},
     * else {@code -u} or ansible.cfg's {@code remote_user} ({@link #DEFAULT_USER}).
     */
    public static Map<String, Object> connectionVars(Map<String, Object> vars, String playUser) {
        if (vars.get("ansible_user") != null) return vars;
        Object user = playUser != null ? playUser : vars.get(DEFAULT_USER);
        if (user == null) return vars;
        Map<String, Object> out = new LinkedHashMap<>(vars);
        out.put("ansible_user", user);
        return out;
    }

    private Map<String, Object> connectionVars(String host, Play play) {
        return connectionVars(hostVars.apply(host), play.remoteUser());
    }

    /** How long a host whose connection was lost gets to answer again (a host that rebooted under the run takes seconds). */
    static final java.time.Duration RECONNECT_WINDOW = java.time.Duration.ofSeconds(60);
    private java.time.Duration reconnectWindow = RECONNECT_WINDOW;

    /** For tests: a shorter {@link #RECONNECT_WINDOW}. */
    Runner reconnectWindow(java.time.Duration window) {
        this.reconnectWindow = window;
        return this;
    }

    /**
     * A fresh connection (and the lock again) after the old one was lost, tried every few seconds
     * for {@link #RECONNECT_WINDOW}; null when it worked, else why not.
     */
    private String reconnect(String host, HostSession session) {
        long deadline = System.nanoTime() + reconnectWindow.toNanos();
        String why;
        while (true) {
            try {
                Transport fresh = setup.connector().connect(host, loggedIn(host));
                // A host that is going down (rebooted under the run) may still accept a login: wait until it is back.
                ExecResult state = fresh.exec(new Command("systemctl is-system-running 2>/dev/null", null, false,
                        java.time.Duration.ofSeconds(20), false));
                if (state.out().strip().equals("stopping")) {
                    fresh.close();
                    throw new IOException("the host is shutting down");
                }
                session.reconnected(fresh);
                RemoteLock.Outcome refused = lock(session);
                return refused == null ? null : refused.refusal();
            } catch (IOException | RuntimeException e) {
                why = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            if (System.nanoTime() > deadline || stop.get()) return why;
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return why;
            }
        }
    }

    /**
     * The lockout guard's proof: a brand-new connection that runs {@code true}. When a whole fleet's
     * guarded changes land together, every host's sshd takes a new connection at once, and one attempt
     * can outlast the connect timeout although the host is reachable (at 100 testbed hosts sharing two
     * cores, handshakes took over 10 s). So an attempt that timed out is repeated, a second apart, for
     * half the guard's timeout from the first: the answer still comes before the armed revert fires by
     * itself. A refusal (connection refused, key or login refused) is final at once.
     */
    private String probe(String host) {
        long t0 = System.nanoTime();
        long deadline = t0 + setup.guardTimeout().toNanos() / 2;
        int attempts = 0;
        while (true) {
            attempts++;
            Probe p = probeOnce(host);
            if (p.problem() == null) return null;
            if (!p.timedOut() || stop.get() || System.nanoTime() + PROBE_PAUSE_MS * 1_000_000L >= deadline) {
                return attempts == 1 ? p.problem() : p.problem() + " (the last of " + attempts + " attempts in "
                        + (System.nanoTime() - t0) / 1_000_000_000L + " s)";
            }
            try {
                Thread.sleep(PROBE_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return p.problem();
            }
        }
    }

    private static final long PROBE_PAUSE_MS = 1000;

    /** One attempt of {@link #probe}: null problem when it worked; whether it failed by timing out. */
    record Probe(String problem, boolean timedOut) {}

    private Probe probeOnce(String host) {
        try (Transport t = setup.connector().connect(host, loggedIn(host))) {
            ExecResult r = t.exec(new Command("true", null, false, java.time.Duration.ofSeconds(20), false));
            return new Probe(r.ok() ? null : "a new session ran 'true' with exit " + r.rc(), false);
        } catch (IOException | RuntimeException e) {
            return new Probe(e.getMessage() == null ? e.toString() : e.getMessage(), timedOut(e));
        }
    }

    /** Whether {@code e} (or a cause of it) is a timeout rather than a refusal. */
    static boolean timedOut(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.SocketTimeoutException || c instanceof java.util.concurrent.TimeoutException) return true;
            if (c.getMessage() != null && c.getMessage().contains("timed out")) return true;
        }
        return false;
    }
}
