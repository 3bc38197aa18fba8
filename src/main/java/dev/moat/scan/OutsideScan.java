package dev.moat.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The outside-in scan: what a bot on the internet finds. For every host, a TCP connect to each AI
 * port (plus each {@code vault_services} port, 80 and 443), all hosts and ports at once within
 * {@link ScanSettings#concurrency()}; then, in a thread pool, an unauthenticated HTTP probe of each
 * open port, the HTTP-to-HTTPS redirect on 80, and for each vault domain the certificate and the
 * 401 on 443. Every open AI port is EXPOSED whatever answers on it. A host with {@code tls: false}
 * keeps its vault on loopback by design: the vault checks are skipped (one INFO), and 80 and 443
 * are EXPOSED only if they answer a Basic Auth challenge or an AI API over plain HTTP. A host's other
 * addresses (the rest of what its name resolves to, AAAA records included, and the global IPv6
 * addresses the inside audit read) get the AI and vault ports probed too: a bot that finds the
 * IPv6 address finds the GPU just as well.
 */
public final class OutsideScan {
    /** The findings, host by host in the order given, and the hosts whose address did not resolve. */
    public record Report(List<Finding> findings, List<String> unresolved) {
        public Report {
            findings = List.copyOf(findings);
            unresolved = List.copyOf(unresolved);
        }
    }

    static final String FIX_PORT = "compose_ports (compose_search / compose_bind) if Docker publishes it, else the ufw baseline; "
            + "moat scan --inside names the cause";
    static final String FIX_TLS = "certbot (acme_email, acme_server; tls: true); --ca-file if the CA is private";
    static final String FIX_VAULT = "nginx_vhost + htpasswd (vault_services, vault_users)";
    static final String FIX_REDIRECT = "certbot with tls: true redirects HTTP to HTTPS";
    static final String FIX_LOOPBACK = "nginx_vhost with tls: off listens on 127.0.0.1 only (harden-inference.yml, tls: false); or set tls: true";
    static final String LOOPBACK_VAULT = "tls: false: the vault listens on loopback only (reach it through an SSH tunnel); "
            + "its certificate, 401 and the HTTP redirect are not checked from outside";

    /** Turns an address into an InetAddress; tests replace DNS with it. */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String address) throws UnknownHostException;
    }

    /** Every address a name resolves to. */
    @FunctionalInterface
    interface AllResolver {
        InetAddress[] resolve(String address) throws UnknownHostException;
    }

    private final ScanSettings settings;
    private final Resolver resolver;
    private final AllResolver allResolver;

    public OutsideScan(ScanSettings settings) {
        this(settings, InetAddress::getByName, InetAddress::getAllByName);
    }

    OutsideScan(ScanSettings settings, Resolver resolver) {
        this(settings, resolver, a -> new InetAddress[] {resolver.resolve(a)});
    }

    OutsideScan(ScanSettings settings, Resolver resolver, AllResolver allResolver) {
        this.settings = settings;
        this.resolver = resolver;
        this.allResolver = allResolver;
    }

    public Report run(List<ScanTarget> targets) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.concurrency(), 64)), r -> {
            Thread t = new Thread(r, "moat-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            return run(targets, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private Report run(List<ScanTarget> targets, ExecutorService pool) throws IOException, InterruptedException {
        Map<ScanTarget, Future<InetAddress>> resolving = new LinkedHashMap<>();
        for (ScanTarget t : targets) resolving.put(t, pool.submit(() -> resolver.resolve(t.address())));
        Map<ScanTarget, InetAddress> resolved = new LinkedHashMap<>();
        Map<String, List<Finding>> byHost = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        List<TcpScanner.Target> tcp = new ArrayList<>();
        for (Map.Entry<ScanTarget, Future<InetAddress>> e : resolving.entrySet()) {
            ScanTarget t = e.getKey();
            byHost.put(t.host(), new ArrayList<>());
            try {
                InetAddress a = e.getValue().get();
                resolved.put(t, a);
                for (int p : ports(t)) tcp.add(new TcpScanner.Target(a, p));
            } catch (ExecutionException ex) {
                unresolved.add(t.host());
                String why = ex.getCause() instanceof UnknownHostException ? "does not resolve" : String.valueOf(ex.getCause().getMessage());
                byHost.get(t.host()).add(Finding.of(t.host(), "address", Verdict.FAIL, "'" + t.address() + "' " + why + ": not scanned"));
            }
        }
        Map<ScanTarget, List<InetAddress>> others = new LinkedHashMap<>();
        for (Map.Entry<ScanTarget, InetAddress> e : resolved.entrySet()) {
            List<InetAddress> more = otherAddresses(e.getKey(), e.getValue());
            others.put(e.getKey(), more);
            for (InetAddress a : more) for (int p : aiPorts(e.getKey())) tcp.add(new TcpScanner.Target(a, p));
        }
        Map<TcpScanner.Target, PortState> states = TcpScanner.scan(tcp, settings.connectTimeout(), settings.concurrency());
        Map<String, List<Future<List<Finding>>>> work = new LinkedHashMap<>();
        for (Map.Entry<ScanTarget, InetAddress> e : resolved.entrySet()) {
            ScanTarget t = e.getKey();
            InetAddress a = e.getValue();
            List<Future<List<Finding>>> jobs = new ArrayList<>();
            for (int p : ports(t)) {
                if (p == settings.httpPort() || p == settings.httpsPort()) continue;
                PortState s = states.get(new TcpScanner.Target(a, p));
                if (s == PortState.OPEN) jobs.add(pool.submit(() -> List.of(openPort(t, a, p, "port " + p))));
                else jobs.add(done(List.of(Finding.of(t.host(), "port " + p, Verdict.OK, stateWords(s)))));
            }
            for (InetAddress other : others.get(t)) {
                Map<String, List<Integer>> quiet = new LinkedHashMap<>();
                for (int p : aiPorts(t)) {
                    PortState s = states.get(new TcpScanner.Target(other, p));
                    if (s == PortState.OPEN) jobs.add(pool.submit(() -> List.of(openPort(t, other, p, "port " + p + " at " + dev.moat.compose.Ip.text(other)))));
                    else quiet.computeIfAbsent(stateWords(s), k -> new ArrayList<>()).add(p);
                }
                if (!quiet.isEmpty()) jobs.add(done(List.of(Finding.of(t.host(), "at " + dev.moat.compose.Ip.text(other), Verdict.OK, quietWords(quiet)))));
            }
            PortState http = states.get(new TcpScanner.Target(a, settings.httpPort()));
            PortState https = states.get(new TcpScanner.Target(a, settings.httpsPort()));
            if (!t.tls()) {
                jobs.add(done(List.of(Finding.of(t.host(), "vault", Verdict.INFO, LOOPBACK_VAULT))));
                jobs.add(pool.submit(() -> loopbackVault(t, a, settings.httpPort(), http)));
                jobs.add(pool.submit(() -> loopbackVault(t, a, settings.httpsPort(), https)));
                work.put(t.host(), jobs);
                continue;
            }
            jobs.add(pool.submit(() -> httpPort(t, a, http)));
            List<String> domains = domains(t);
            if (domains.isEmpty()) {
                jobs.add(done(List.of(Finding.of(t.host(), "port " + settings.httpsPort(), Verdict.INFO,
                        stateWords(https) + "; no vault_services domain to check it against"))));
            }
            for (String d : domains) jobs.add(pool.submit(() -> vault(t, a, d, https)));
            work.put(t.host(), jobs);
        }
        for (Map.Entry<String, List<Future<List<Finding>>>> e : work.entrySet()) {
            for (Future<List<Finding>> f : e.getValue()) {
                try {
                    byHost.get(e.getKey()).addAll(f.get());
                } catch (ExecutionException ex) {
                    byHost.get(e.getKey()).add(Finding.of(e.getKey(), "probe", Verdict.FAIL, "probe failed: " + ex.getCause()));
                }
            }
        }
        List<Finding> all = new ArrayList<>();
        byHost.values().forEach(all::addAll);
        return new Report(all, unresolved);
    }

    /** The AI ports and the vault's own ports: what is probed at a host's other addresses. */
    private Set<Integer> aiPorts(ScanTarget t) {
        Set<Integer> out = new LinkedHashSet<>(settings.ports());
        for (VaultService v : t.vault()) if (v.port() > 0) out.add(v.port());
        return out;
    }

    /**
     * The host's addresses other than {@code primary}: the rest of what its name resolves to (none
     * for an address literal) and the addresses the target names, each once. A name that no longer
     * resolves costs nothing here: the primary address was already resolved.
     */
    private List<InetAddress> otherAddresses(ScanTarget t, InetAddress primary) {
        Set<InetAddress> out = new LinkedHashSet<>();
        try {
            out.addAll(List.of(allResolver.resolve(t.address())));
        } catch (UnknownHostException e) {
            // only the primary address, then
        }
        for (String a : t.alsoAt()) {
            if (!a.matches("[0-9A-Fa-f:.]+") || !a.contains(":")) continue; // IPv6 literals only: never a DNS lookup
            try {
                out.add(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                // not a literal after all
            }
        }
        out.remove(primary);
        out.removeIf(a -> a.isLinkLocalAddress() || a.isAnyLocalAddress()); // link-local needs an interface; any-local is no host
        return new ArrayList<>(out);
    }

    /** "8000, 11434 closed; 8188 filtered (...)" for the ports of another address that did not answer. */
    private static String quietWords(Map<String, List<Integer>> byState) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byState.entrySet()) {
            parts.add("port" + (e.getValue().size() == 1 ? " " : "s ") + e.getValue().stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + " " + e.getKey());
        }
        return String.join("; ", parts);
    }

    private Set<Integer> ports(ScanTarget t) {
        Set<Integer> out = new LinkedHashSet<>(settings.ports());
        for (VaultService v : t.vault()) if (v.port() > 0) out.add(v.port());
        out.add(settings.httpPort());
        out.add(settings.httpsPort());
        return out;
    }

    private static List<String> domains(ScanTarget t) {
        List<String> out = new ArrayList<>();
        for (VaultService v : t.vault()) if (v.domain() != null && !out.contains(v.domain())) out.add(v.domain());
        return out;
    }

    private Finding openPort(ScanTarget t, InetAddress a, int port, String check) {
        String what = ServiceIdentifier.identify(port, path -> HttpProbe.get(a, port, hostHeader(t, a, port), path, settings.readTimeout()));
        return new Finding(t.host(), check, Verdict.EXPOSED, what, FIX_PORT);
    }

    private List<Finding> httpPort(ScanTarget t, InetAddress a, PortState state) {
        int port = settings.httpPort();
        String check = "port " + port;
        if (state != PortState.OPEN) return List.of(Finding.of(t.host(), check, Verdict.INFO, stateWords(state)));
        List<String> domains = domains(t);
        boolean vault = !domains.isEmpty();
        if (!vault) domains = List.of(t.address());
        List<Finding> out = new ArrayList<>();
        for (String d : domains) {
            String c = vault ? "http " + d : check;
            HttpReply r;
            try {
                r = HttpProbe.get(a, port, d, "/", settings.readTimeout());
            } catch (IOException e) {
                out.add(Finding.of(t.host(), c, vault ? Verdict.FAIL : Verdict.INFO, "open; no HTTP answer (" + ServiceIdentifier.reason(e) + ")"));
                continue;
            }
            out.add(redirect(t.host(), c, vault, r, () -> ServiceIdentifier.identify(port, path -> HttpProbe.get(a, port, d, path, settings.readTimeout()))));
        }
        return out;
    }

    /** Judges port 80's answer: a redirect to https is OK; Basic Auth or an AI API over plain HTTP is EXPOSED. */
    static Finding redirect(String host, String check, boolean vault, HttpReply r, java.util.function.Supplier<String> identify) {
        if (r == null) return Finding.of(host, check, vault ? Verdict.FAIL : Verdict.INFO, "open; not HTTP");
        String location = r.header("location");
        boolean toHttps = location != null && location.toLowerCase(java.util.Locale.ROOT).startsWith("https://");
        if (toHttps && (r.status() == 301 || r.status() == 308)) return Finding.of(host, check, Verdict.OK, "redirects (" + r.status() + ") to " + location);
        if (toHttps && (r.status() == 302 || r.status() == 307)) {
            return Finding.of(host, check, Verdict.OK, "redirects (" + r.status() + ", temporary) to " + location);
        }
        if (r.status() == 401) {
            return new Finding(host, check, Verdict.EXPOSED, "asks for credentials over plain HTTP (401): Basic Auth would cross in clear text",
                    FIX_REDIRECT);
        }
        if (r.status() >= 200 && r.status() < 300) {
            String what = identify.get();
            if (!what.startsWith("open;")) return new Finding(host, check, Verdict.EXPOSED, what + " (over plain HTTP)", FIX_VAULT);
        }
        String seen = r.describe() + (location == null ? "" : " to " + location);
        if (!vault) return Finding.of(host, check, Verdict.INFO, seen + "; no vault_services domain to check");
        return new Finding(host, check, Verdict.FAIL, seen + ", not a redirect to https", FIX_REDIRECT);
    }

    /**
     * With {@code tls: false} nothing of the vault should answer from outside: ports 80 and 443 are
     * only probed over plain HTTP, and a Basic Auth challenge (or an AI API) there is EXPOSED.
     */
    private List<Finding> loopbackVault(ScanTarget t, InetAddress a, int port, PortState state) {
        List<String> domains = domains(t);
        boolean named = !domains.isEmpty();
        if (!named) domains = List.of(t.address());
        if (state != PortState.OPEN) return List.of(Finding.of(t.host(), "port " + port, Verdict.INFO, stateWords(state)));
        List<Finding> out = new ArrayList<>();
        for (String d : domains) {
            String check = "port " + port + (named ? " " + d : "");
            HttpReply r;
            try {
                r = HttpProbe.get(a, port, d, "/", settings.readTimeout());
            } catch (IOException e) {
                out.add(Finding.of(t.host(), check, Verdict.INFO, "open; no plain HTTP answer (" + ServiceIdentifier.reason(e) + ")"));
                continue;
            }
            out.add(plainHttp(t.host(), check, r, () -> ServiceIdentifier.identify(port, path -> HttpProbe.get(a, port, d, path, settings.readTimeout()))));
        }
        return out;
    }

    /** Judges a plain HTTP answer where no vault should be reachable ({@code tls: false}): 401 or an AI API is EXPOSED, anything else INFO. */
    static Finding plainHttp(String host, String check, HttpReply r, java.util.function.Supplier<String> identify) {
        if (r == null) return Finding.of(host, check, Verdict.INFO, "open; not HTTP");
        if (r.status() == 401) {
            return new Finding(host, check, Verdict.EXPOSED, "asks for credentials over plain HTTP (401) although tls: false keeps the vault on "
                    + "loopback: Basic Auth would cross in clear text", FIX_LOOPBACK);
        }
        if (r.status() >= 200 && r.status() < 300) {
            String what = identify.get();
            if (!what.startsWith("open;")) return new Finding(host, check, Verdict.EXPOSED, what + " (over plain HTTP)", FIX_LOOPBACK);
        }
        return Finding.of(host, check, Verdict.INFO, "open; " + r.describe() + "; the vault is loopback-only (tls: false)");
    }

    private List<Finding> vault(ScanTarget t, InetAddress a, String domain, PortState https) {
        if (https != PortState.OPEN) {
            return List.of(new Finding(t.host(), "vault " + domain, Verdict.FAIL, "port " + settings.httpsPort() + " " + stateWords(https), FIX_VAULT));
        }
        TlsCheck.Result r = TlsCheck.check(a, settings.httpsPort(), domain, settings.trust(), settings.readTimeout());
        List<Finding> out = new ArrayList<>();
        out.add(r.verified() ? Finding.of(t.host(), "tls " + domain, Verdict.OK, "certificate " + r.certificate())
                : new Finding(t.host(), "tls " + domain, Verdict.FAIL, r.certificate(), FIX_TLS));
        out.add(auth(t.host(), "vault " + domain, r.reply(), r.replyError()));
        return out;
    }

    /** Judges the vault's answer to GET / without credentials: 401 is OK, 2xx EXPOSED, anything else FAIL. */
    static Finding auth(String host, String check, HttpReply r, String error) {
        if (r == null) return new Finding(host, check, Verdict.FAIL, error == null ? "no HTTP answer over TLS" : "no HTTP answer over TLS (" + error + ")", FIX_VAULT);
        if (r.status() == 401) {
            String how = r.header("www-authenticate");
            return Finding.of(host, check, Verdict.OK, "401 without credentials" + (how == null ? "" : " (" + how + ")"));
        }
        if (r.status() >= 200 && r.status() < 300) {
            return new Finding(host, check, Verdict.EXPOSED, "answers " + r.status() + " without credentials: no auth in front of it", FIX_VAULT);
        }
        return new Finding(host, check, Verdict.FAIL, "answers " + r.describe() + " without credentials, expected 401", FIX_VAULT);
    }

    private String hostHeader(ScanTarget t, InetAddress a, int port) {
        String h = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : t.address();
        return h + ":" + port;
    }

    private String stateWords(PortState s) {
        if (s == PortState.FILTERED) return "filtered (no answer in " + settings.connectTimeout().toMillis() + " ms)";
        if (s == PortState.CLOSED) return "closed";
        return s == null ? "not scanned" : "open";
    }

    private static <T> Future<T> done(T value) {
        return java.util.concurrent.CompletableFuture.completedFuture(value);
    }
}
