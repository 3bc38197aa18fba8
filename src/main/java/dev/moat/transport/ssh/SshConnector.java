package dev.moat.transport.ssh;

import dev.moat.transport.Endpoint;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Opens SSH connections for one run. One connector holds what every connection shares: the
 * known_hosts policy, the parsed ssh_config, the decrypted keys (so a passphrase is asked once)
 * and the threads that drain command output. Endpoint fields that are null (or port 22) are filled
 * from ssh_config as OpenSSH would; bastions in {@link Endpoint#jump()} (or ssh_config's ProxyJump)
 * are connected through in turn with direct-tcpip channels, each hop's host key verified.
 *
 * <pre>
 * try (SshConnector ssh = new SshConnector(SshSettings.defaults());
 *      Transport t = ssh.connect(Endpoint.of("gpu-01", "10.0.0.5", 22, "ops"))) {
 *     ExecResult r = t.exec(Command.of("uname -a", false));
 * }
 * </pre>
 */
public final class SshConnector implements AutoCloseable {
    private static final int KEEPALIVE_SECONDS_DEFAULT = 30;
    /** Unanswered keepalives after which a connection counts as lost (sshj's default). */
    private static final int KEEPALIVE_MISSED = 5;

    private final SshSettings settings;
    private final KnownHosts knownHosts;
    private final SshConfig sshConfig;
    private final KeyRing keys;
    /** The agent SSH_AUTH_SOCK names, or null. */
    private final SshAgent agent;
    private final ExecutorService pumps;
    /** At most so many handshakes at once, each host's deadline counted from its turn ({@code MOAT_SSH_HANDSHAKES}). */
    private final HandshakeGate gate;
    private final int keepAliveSeconds;
    /** Handshake deadlines and every connection's keepalive: one thread, not one per connection as sshj's own keepalive. */
    private final ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "moat-ssh-watchdog");
        t.setDaemon(true);
        return t;
    });

    /**
     * Reads the known_hosts files and the ssh_config file.
     *
     * @throws IOException when one of them exists but cannot be read, or {@code MOAT_SSH_HANDSHAKES}
     *     is not a whole number of at least 1
     */
    public SshConnector(SshSettings settings) throws IOException {
        this(settings, HandshakeGate.of(System.getenv(HandshakeGate.ENV)));
    }

    /** As {@link #SshConnector(SshSettings)}, with {@code gate} bounding the handshakes in flight. */
    SshConnector(SshSettings settings, HandshakeGate gate) throws IOException {
        this(settings, gate, KEEPALIVE_SECONDS_DEFAULT);
    }

    /** As {@link #SshConnector(SshSettings, HandshakeGate)}, with a keepalive every {@code keepAliveSeconds} s (tests). */
    SshConnector(SshSettings settings, HandshakeGate gate, int keepAliveSeconds) throws IOException {
        this.settings = settings;
        this.gate = gate;
        this.keepAliveSeconds = keepAliveSeconds;
        // a cancelled deadline would otherwise keep its client reachable until the deadline passes
        watchdog.setRemoveOnCancelPolicy(true);
        this.knownHosts = new KnownHosts(settings.knownHosts(), settings.acceptNewHostKeys());
        this.sshConfig = SshConfig.load(settings.sshConfig());
        this.keys = new KeyRing(SharedConfig.get(), settings.passphrases());
        this.agent = SshAgent.fromEnvironment(System.getenv("SSH_AUTH_SOCK"));
        AtomicInteger n = new AtomicInteger();
        this.pumps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "moat-ssh-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds sshj's shared configuration (it probes every cipher) on a background daemon thread, so
     * the first connection does not wait for it. Idempotent.
     */
    public static void warmUp() {
        Thread t = new Thread(SharedConfig::get, "moat-ssh-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** {@code e} with the gaps filled from ssh_config: what {@link #connect} will use. */
    public Target resolve(Endpoint e) {
        return Target.resolve(e, sshConfig, true);
    }

    /**
     * Connects and authenticates to {@code e}.
     *
     * @throws UnreachableException naming the host and address:port when DNS, the TCP connection,
     *     the host key or authentication fails
     */
    public Transport connect(Endpoint e) throws UnreachableException {
        return connect(e, null);
    }

    /**
     * As {@link #connect(Endpoint)}, feeding sudo {@code becomePassword} (the host's
     * {@code ansible_become_password}) instead of {@code --ask-become-pass}'s, when not null.
     */
    public Transport connect(Endpoint e, char[] becomePassword) throws UnreachableException {
        SshSettings forHost = becomePassword == null ? settings : settings.withBecomePassword(becomePassword);
        Target t = resolve(e);
        List<SSHClient> hops = new ArrayList<>();
        SSHClient previous = null;
        try {
            for (Target hop : t.jump()) {
                previous = open(hop, previous, t);
                hops.add(previous);
            }
            SSHClient client = open(t, previous, null);
            return new SshTransport(t.name(), t.where(), client, hops, t.user(), e.becomeUser(), forHost, pumps);
        } catch (UnreachableException ex) {
            for (int i = hops.size() - 1; i >= 0; i--) SshTransport.quietly(hops.get(i));
            throw ex;
        }
    }

    /** Connects to {@code t} directly, or through the already authenticated {@code via}. */
    private SSHClient open(Target t, SSHClient via, Target behind) throws UnreachableException {
        // every timeout below starts once the host's turn has come, never while it waits for one
        try (HandshakeGate.Pass pass = gate.enter(t.name())) {
            return openNow(t, via, behind);
        }
    }

    private SSHClient openNow(Target t, SSHClient via, Target behind) throws UnreachableException {
        String what = behind == null ? t.describe() : "bastion " + t.describe() + " (on the way to " + behind.name() + ")";
        List<Offer> offers = offers(t);
        SSHClient c = new SSHClient(SharedConfig.get());
        dev.moat.StartupTrace.markWithThreads("keys loaded, connecting to " + t.name());
        Verifier verifier = new Verifier(knownHosts, t.name(), t.port());
        c.addHostKeyVerifier(verifier);
        ProxyCommand proxy = via == null ? t.proxy() : null;
        c.setSocketFactory(proxy != null ? proxy.sockets() : SharedConfig.SOCKETS);
        int ms = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
        c.setConnectTimeout(ms);
        c.getTransport().setTimeoutMs(ms);
        // sshj reads the server's greeting without a timeout: a host that accepts the connection and
        // then stays silent would hang the run, so a watchdog closes it at the deadline
        AtomicReference<DirectConnection> tunnel = new AtomicReference<>();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> dog = watchdog.schedule(() -> {
            expired.set(true);
            abort(c, tunnel.get());
        }, 2L * ms, TimeUnit.MILLISECONDS);
        try {
            handshake(c, t, via, what, verifier, tunnel, expired, proxy != null);
            authenticate(c, t, what, offers);
            keepAlive(c);
            return c;
        } catch (UnreachableException ex) {
            SshTransport.quietly(c);
            if (expired.get())
                throw new UnreachableException("the SSH handshake with " + what + " timed out after " + 2L * ms / 1000
                        + " s: the " + (proxy == null ? "server" : "ProxyCommand") + " accepted the connection but did not complete it"
                        + said(proxy) + ".", ex);
            if (proxy != null) throw new UnreachableException(ex.getMessage() + said(proxy), ex);
            throw ex;
        } catch (IOException ex) {
            throw fail(c, "the SSH connection to " + what + " failed: " + rootMessage(ex) + said(proxy), ex);
        } finally {
            dog.cancel(false);
        }
    }

    /**
     * Keeps {@code c} alive as sshj's {@code KEEP_ALIVE} provider did: every 30 s
     * a {@code keepalive@openssh.com} request, and the connection dropped (its next exec fails as a lost
     * connection) when {@link #KEEPALIVE_MISSED} in a row went unanswered. sshj runs that as a thread
     * per connection (a thousand hosts, a thousand threads); here the watchdog's one thread schedules
     * every connection's, and a pump thread sends it, so a connection whose socket is full delays no other.
     */
    private void keepAlive(SSHClient c) {
        Deque<Promise<SSHPacket, ConnectionException>> unanswered = new ArrayDeque<>();
        AtomicReference<ScheduledFuture<?>> beat = new AtomicReference<>();
        Runnable send = () -> {
            try {
                synchronized (unanswered) {
                    while (!unanswered.isEmpty() && unanswered.peek().isFulfilled()) unanswered.remove();
                    if (unanswered.size() >= KEEPALIVE_MISSED) {
                        c.getTransport().die(new ConnectionException(DisconnectReason.CONNECTION_LOST,
                                "Did not receive any keep-alive response for " + KEEPALIVE_MISSED * keepAliveSeconds + " seconds"));
                        return;
                    }
                    unanswered.add(c.getConnection().sendGlobalRequest("keepalive@openssh.com", true, new byte[0]));
                }
            } catch (TransportException | RuntimeException e) {
                // the connection is going; the next exec reports it
            }
        };
        beat.set(watchdog.scheduleWithFixedDelay(() -> {
            if (!c.getTransport().isRunning()) {
                ScheduledFuture<?> f = beat.get();
                if (f != null) f.cancel(false);
                return;
            }
            try {
                pumps.execute(send);
            } catch (RejectedExecutionException e) {
                // the connector is closing
            }
        }, keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS));
    }

    /** What the ProxyCommand said and how it ended, for an error message; empty without one. */
    private static String said(ProxyCommand proxy) {
        if (proxy == null) return "";
        String r = proxy.report();
        return "; the ProxyCommand " + (r.isEmpty() ? "said nothing" : r);
    }

    private static void abort(SSHClient c, DirectConnection dc) {
        try {
            if (c.getSocket() != null) c.getSocket().close();
            if (dc != null) dc.close();
        } catch (IOException | RuntimeException ignored) {
            // it is being torn down anyway
        }
        SshTransport.quietly(c);
    }

    private void handshake(SSHClient c, Target t, SSHClient via, String what, Verifier verifier,
                           AtomicReference<DirectConnection> tunnel, AtomicBoolean expired, boolean proxied)
            throws UnreachableException {
        try {
            if (via == null && proxied) {
                // the ProxyCommand reaches the address: it need not resolve here
                c.connect(t.address(), t.port());
            } else if (via == null) {
                try {
                    InetAddress.getByName(t.address());
                } catch (UnknownHostException ex) {
                    throw new UnreachableException("cannot resolve the address of " + what
                            + ": DNS has no entry for " + t.address() + ".");
                }
                c.connect(t.address(), t.port());
            } else {
                DirectConnection dc = via.newDirectConnection(t.address(), t.port());
                tunnel.set(dc);
                c.connectVia(dc);
            }
        } catch (UnreachableException ex) {
            throw ex;
        } catch (ConnectException ex) {
            throw fail(c, what + " refused the connection: is sshd listening on port " + t.port() + "?", ex);
        } catch (NoRouteToHostException ex) {
            throw fail(c, "no route to " + what + ".", ex);
        } catch (IOException ex) {
            if (verifier.refusal != null) throw fail(c, verifier.refusal.getMessage(), ex);
            if (rootCause(ex) instanceof SocketTimeoutException) {
                throw fail(c, "connecting to " + what + " timed out after " + settings.connectTimeout().toSeconds()
                        + " s: the host is down, or a firewall drops port " + t.port() + ".", ex);
            }
            if (expired.get()) throw fail(c, "timed out", ex);
            String why = rootMessage(ex);
            if (via != null && why.toLowerCase().contains("open failed"))
                throw fail(c, "bastion " + via.getRemoteHostname() + " could not open a connection to " + what + ": " + why, ex);
            throw fail(c, "the SSH handshake with " + what + " failed: " + why, ex);
        }
    }

    /** One key authentication offers (an agent's or a file's), or why a key was left out. */
    private record Offer(String label, AuthMethod method, String skipped) {}

    private void authenticate(SSHClient c, Target t, String what, List<Offer> offers) throws UnreachableException {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>(), skipped = new ArrayList<>();
        for (Offer o : offers) {
            if (o.method() == null) {
                skipped.add(o.label() + " (" + o.skipped() + ")");
            } else {
                methods.add(o.method());
                tried.add(o.label());
            }
        }
        try {
            if (methods.isEmpty()) throw new UserAuthException("no usable key");
            c.auth(t.user(), methods);
        } catch (UserAuthException ex) {
            StringBuilder m = new StringBuilder("authentication as " + t.user() + " on " + what + " failed: ");
            m.append(tried.isEmpty() ? "no usable private key" : "the server accepted none of the keys tried: " + String.join(", ", tried));
            if (!skipped.isEmpty()) m.append("; skipped ").append(String.join(", ", skipped));
            m.append(". Name a key with ansible_ssh_private_key_file or --private-key, or add one to ssh-agent (SSH_AUTH_SOCK).");
            throw fail(c, m.toString(), ex);
        } catch (IOException ex) {
            throw fail(c, "the SSH connection to " + what + " was lost during authentication: " + rootMessage(ex), ex);
        }
    }

    /** The keys to offer {@code t}, in {@link AuthOrder}'s order: the agent's, then key files (an explicit key alone). */
    private List<Offer> offers(Target t) throws UnreachableException {
        List<Offer> out = new ArrayList<>();
        List<SshAgent.Identity> held = List.of();
        if (agent != null) {
            try {
                held = agent.identities();
            } catch (IOException e) {
                out.add(new Offer("ssh-agent at " + agent.socket(), null, e.getMessage()));
            }
        }
        boolean explicit = settings.privateKey() != null || (!t.keyFiles().isEmpty() && t.inventoryKey());
        List<Path> files = settings.privateKey() != null ? List.of(settings.privateKey())
                : !t.keyFiles().isEmpty() ? t.keyFiles() : settings.defaultKeys();
        for (AuthOrder.Choice choice : AuthOrder.order(held, files, explicit, AuthOrder::publicBlob)) {
            if (choice instanceof AuthOrder.AgentKey a) {
                out.add(new Offer(a.identity().toString(), new AuthAgentKey(agent, a.identity()), null));
            } else if (choice instanceof AuthOrder.FileKey f) {
                // an explicit key must exist; ssh_config's IdentityFiles and the default keys may not, as with OpenSSH
                KeyRing.Loaded k = keys.load(f.file(), f.required());
                if (k == null) continue;
                out.add(k.key() == null ? new Offer(k.file().toString(), null, k.skipped())
                        : new Offer(k.file().toString(), new AuthPublickey(k.key()), null));
            }
        }
        return out;
    }

    private static UnreachableException fail(SSHClient c, String message, Throwable cause) {
        SshTransport.quietly(c);
        return new UnreachableException(message, cause);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        return r;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        String m = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        if (r instanceof TransportException && ((TransportException) r).getDisconnectReason() != null)
            m = m + " (" + ((TransportException) r).getDisconnectReason() + ")";
        return m;
    }

    @Override
    public void close() {
        pumps.shutdownNow();
        watchdog.shutdownNow();
    }

    /** Adapts {@link KnownHosts} to sshj, keeping the refusal so its message reaches the user. */
    private static final class Verifier implements HostKeyVerifier {
        private final KnownHosts knownHosts;
        private final String name;
        /** The target's port: a socket made by a ProxyCommand tells sshj no remote port (0). */
        private final int targetPort;
        volatile UnreachableException refusal;

        Verifier(KnownHosts knownHosts, String name, int targetPort) {
            this.knownHosts = knownHosts;
            this.name = name;
            this.targetPort = targetPort;
        }

        @Override
        public boolean verify(String host, int port, PublicKey key) {
            try {
                knownHosts.verify(name, host, port > 0 ? port : targetPort, key);
                return true;
            } catch (UnreachableException e) {
                refusal = e;
                return false;
            }
        }

        @Override
        public List<String> findExistingAlgorithms(String host, int port) {
            List<String> algs = new ArrayList<>();
            for (String type : knownHosts.knownTypes(host, port > 0 ? port : targetPort)) {
                if (type.equals("ssh-rsa")) algs.addAll(List.of("rsa-sha2-512", "rsa-sha2-256"));
                algs.add(type);
            }
            return algs;
        }
    }
}
