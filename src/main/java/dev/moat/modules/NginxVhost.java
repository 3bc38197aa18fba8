package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.facts.CommandFact;
import dev.moat.facts.ExistsFact;
import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.facts.ServiceFact;
import dev.moat.facts.ServiceState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.nginx.ConfigChange;
import dev.moat.modules.nginx.NginxLayout;
import dev.moat.modules.nginx.Serving;
import dev.moat.modules.nginx.Upstream;
import dev.moat.modules.nginx.Vhost;
import dev.moat.transport.Sh;

/**
 * An Nginx reverse-proxy vhost in front of a loopback service: Basic Auth from an htpasswd file,
 * the proxy headers, WebSocket upgrade, no buffering and hour-long timeouts for streamed LLM
 * replies, a body size fit for image uploads. Writes {@code sites-available/NAME}, links
 * {@code sites-enabled/NAME}, and the shared http-context file
 * {@code conf.d/moat-upgrade-map.conf} (the {@code map} that sets {@code Connection: upgrade} only
 * for requests that ask to upgrade: a {@code map} cannot live in a server block).
 *
 * <p>{@code tls}: {@code auto} serves HTTPS on 443 once {@code /etc/letsencrypt/live/CERT/}
 * holds {@code fullchain.pem} and {@code privkey.pem}, and turns port 80 into a redirect that still
 * answers ACME challenges from {@code acme_webroot}; before the certificate exists, port 80 answers
 * only those challenges and refuses everything else, so Basic Auth never crosses plain HTTP and the
 * service is never reachable without TLS. {@code on} is {@code auto} that fails when the
 * certificate is missing. {@code off} listens on 127.0.0.1 (and ::1) only: reach it through an SSH
 * tunnel. Certbot only obtains certificates ({@code certbot} module); this module alone writes the
 * vhost, so reruns and {@code moat check} stay quiet after issuance and renewals.
 *
 * <p>{@code listen} is {@code [HTTP_PORT, HTTPS_PORT]} (default {@code [80, 443]}). No server is
 * marked {@code default_server}, so Debian's {@code sites-enabled/default} (the catch-all for
 * requests by IP or unknown names) can stay; {@code disable_default: true} removes that link, after
 * which nginx's first vhost becomes the catch-all for unknown names (still behind Basic Auth).
 *
 * <p>The change is one step that saves the previous files, writes the new ones atomically, runs
 * {@code nginx -t}, and puts the previous files back (failing with nginx's message) when the test
 * fails; a second step reloads nginx (systemd, else its pidfile, else starts it). Undo restores
 * every written path; the reload is named as not undoable (a rollback restores the files, and nginx
 * serves them at its next reload).
 *
 * <pre>
 * - nginx_vhost:
 *     name: vllm
 *     server_name: [llm.example.com]
 *     upstream: 127.0.0.1:8000
 *     auth_file: /etc/nginx/moat.htpasswd
 *     tls: auto
 * </pre>
 */
public final class NginxVhost implements Module<NginxVhost.VhostArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.optional("server_name", ArgType.LIST).withAliases("server_names"),
            ArgSpec.optional("listen", ArgType.LIST, List.of(80, 443)),
            ArgSpec.optional("upstream", ArgType.STRING),
            ArgSpec.optional("allow_remote_upstream", ArgType.BOOL, false),
            ArgSpec.optional("auth_file", ArgType.STRING),
            ArgSpec.optional("auth_realm", ArgType.STRING, "Restricted"),
            ArgSpec.choice("tls", "auto", "auto", "on", "off"),
            ArgSpec.optional("cert_name", ArgType.STRING),
            ArgSpec.optional("client_max_body_size", ArgType.STRING, "100m"),
            ArgSpec.optional("acme_webroot", ArgType.STRING, "/var/www/moat-acme"),
            ArgSpec.optional("disable_default", ArgType.BOOL, false),
            ArgSpec.choice("state", "present", "present", "absent"));

    /** Validated arguments; {@code vhost} is null for {@code state: absent}. */
    public record VhostArgs(String name, String tls, Vhost vhost, boolean present, boolean disableDefault) {}

    private final NginxLayout layout;

    public NginxVhost() {
        this(NginxLayout.DEBIAN);
    }

    /** For tests: the same module over another directory and nginx command. */
    NginxVhost(NginxLayout layout) {
        this.layout = layout;
    }

    @Override
    public String name() {
        return "nginx_vhost";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public VhostArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || name.equals("default")) {
            throw new ArgException("name", "vhost name '" + name + "' must be letters, digits and ._- (and not 'default', Debian's own site)");
        }
        boolean present = a.str("state").equals("present");
        if (!present) {
            for (String other : List.of("server_name", "upstream", "auth_file", "cert_name")) {
                if (a.has(other)) throw new ArgException(other, "state: absent takes only name (and disable_default)");
            }
            return new VhostArgs(name, a.str("tls"), null, false, a.bool("disable_default"));
        }
        List<String> names = a.strings("server_name");
        if (names.isEmpty()) throw new ArgException("server_name", "server_name is required (the DNS names this vhost answers to)");
        for (String n : names) {
            if (!Vhost.isServerName(n)) throw new ArgException("server_name", "'" + n + "' is not a DNS name (e.g. api.example.com)");
        }
        if (a.str("upstream") == null) throw new ArgException("upstream", "upstream is required, e.g. 127.0.0.1:8000");
        Upstream up;
        try {
            up = Upstream.parse(a.str("upstream"), a.bool("allow_remote_upstream"));
        } catch (IllegalArgumentException e) {
            throw new ArgException("upstream", e.getMessage());
        }
        List<Object> listen = a.list("listen");
        if (listen.isEmpty() || listen.size() > 2) throw new ArgException("listen", "listen is [HTTP_PORT] or [HTTP_PORT, HTTPS_PORT], e.g. [80, 443]");
        int http = port(listen.get(0));
        int https = listen.size() > 1 ? port(listen.get(1)) : 443;
        String cert = a.str("cert_name");
        if (cert == null) {
            if (names.get(0).startsWith("*.")) throw new ArgException("cert_name", "a wildcard first server_name needs an explicit cert_name");
            cert = names.get(0);
        }
        String auth = a.str("auth_file");
        if (auth != null) auth = Paths.absolute("auth_file", auth);
        try {
            Vhost v = new Vhost(name, names, http, https, up, auth, a.str("auth_realm"), cert, a.str("client_max_body_size"),
                    Paths.absolute("acme_webroot", a.str("acme_webroot")));
            return new VhostArgs(name, a.str("tls"), v, true, a.bool("disable_default"));
        } catch (IllegalArgumentException e) {
            throw new ArgException(null, e.getMessage());
        }
    }

    private static int port(Object o) throws ArgException {
        String s = String.valueOf(o).strip();
        if (!s.matches("[0-9]{1,5}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
            throw new ArgException("listen", "listen port '" + o + "' is not a port number (1-65535)");
        }
        return Integer.parseInt(s);
    }

    static final ServiceFact NGINX = new ServiceFact("nginx");

    static final CommandFact IPV6 = new CommandFact("cmd:ipv6", "if [ -s /proc/net/if_inet6 ]; then echo yes; else echo no; fi");

    @Override
    public List<Fact<?>> reads(VhostArgs args) {
        List<Fact<?>> r = new ArrayList<>();
        r.add(new FileFact(layout.available(args.name())));
        r.add(new FileFact(layout.enabled(args.name())));
        r.add(new ExistsFact(layout.etc() + "/sites-enabled"));
        if (args.disableDefault()) r.add(new FileFact(layout.enabled("default")));
        r.add(NGINX);
        if (args.present()) {
            r.add(new FileFact(layout.upgradeMap()));
            r.add(IPV6);
            if (!args.tls().equals("off")) {
                r.add(new ExistsFact(layout.live(args.vhost().certName()) + "/fullchain.pem"));
                r.add(new ExistsFact(layout.live(args.vhost().certName()) + "/privkey.pem"));
                r.add(new ExistsFact(args.vhost().acmeWebroot()));
            }
        }
        return r;
    }

    @Override
    public Plan plan(VhostArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String avail = layout.available(args.name());
        String link = layout.enabled(args.name());
        FileState curFile = facts.get(new FileFact(avail));
        FileState curLink = facts.get(new FileFact(link));
        if (curFile.isDirectory() || curLink.isDirectory()) throw new TaskException(avail + " or " + link + " is a directory");
        if (!facts.get(new ExistsFact(layout.etc() + "/sites-enabled")) && !ctx.check()) {
            throw new TaskException(layout.etc() + "/sites-enabled does not exist: install nginx (Debian's package) before nginx_vhost");
        }
        Plan.Builder b = Plan.builder();
        List<ConfigChange.Op> ops = new ArrayList<>();
        String stdin = null;
        if (args.present()) {
            Vhost v = args.vhost();
            Serving serving = serving(args, facts, ctx);
            String text = v.render(serving, "yes".equals(facts.get(IPV6).stdout().strip()), layout);
            if (!text.equals(curFile.isFile() ? curFile.text() : null)) {
                ops.add(new ConfigChange.WriteStdin(avail));
                stdin = text;
                b.diff(Diff.file(avail, describe(curFile), text));
            }
            if (!(curLink.isLink() && avail.equals(curLink.linkTarget()))) {
                ops.add(new ConfigChange.Link(link, avail));
                b.diff(Diff.of(link, describe(curLink), "symlink to " + avail + "\n"));
            }
            FileState map = facts.get(new FileFact(layout.upgradeMap()));
            if (!Vhost.UPGRADE_MAP.equals(map.isFile() ? map.text() : null)) {
                ops.add(new ConfigChange.WriteText(layout.upgradeMap(), Vhost.UPGRADE_MAP));
                b.diff(Diff.file(layout.upgradeMap(), describe(map), Vhost.UPGRADE_MAP));
            }
            if (!args.tls().equals("off") && !facts.get(new ExistsFact(v.acmeWebroot()))) {
                String w = v.acmeWebroot();
                b.step(Step.run("create ACME webroot " + w, "mkdir -p -m 0755 -- " + Sh.q(w)));
                b.diff(Diff.of(w, "absent", "directory"));
                b.undo(new Undo.RestorePath(w));
                b.touches("file:" + w);
            }
        } else {
            if (curLink.exists()) {
                ops.add(new ConfigChange.Remove(link));
                b.diff(Diff.of(link, describe(curLink), "absent\n"));
            }
            if (curFile.exists()) {
                ops.add(new ConfigChange.Remove(avail));
                b.diff(Diff.file(avail, describe(curFile), ""));
            }
        }
        if (args.disableDefault()) {
            FileState def = facts.get(new FileFact(layout.enabled("default")));
            if (def.exists()) {
                ops.add(new ConfigChange.Remove(def.path()));
                b.diff(Diff.of(def.path(), describe(def), "absent\n"));
            }
        }
        if (ops.isEmpty()) return b.build();
        String what = "vhost " + args.name();
        b.step(new Step((args.present() ? "install " : "remove ") + what + " and test nginx's configuration",
                ConfigChange.script(what, ops, layout), stdin == null ? null : stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8), false));
        b.step(Step.run("reload nginx", layout.reload()));
        // The reload starts an nginx that was not running: a rollback stops it again (listed first,
        // so it is replayed last).
        ServiceState was = facts.get(NGINX);
        if (Boolean.FALSE.equals(was.running())) b.undo(new Undo.RestoreService("nginx", false, null));
        // Listed before the restores so a rollback, which replays newest first, reloads after restoring the files.
        b.undo(new Undo.Reload("nginx"));
        for (ConfigChange.Op op : ops) {
            b.undo(new Undo.RestorePath(op.path()));
            b.touches("file:" + op.path());
        }
        b.touches("service:nginx");
        return b.build();
    }

    private Serving serving(VhostArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (args.tls().equals("off")) return Serving.LOOPBACK;
        String live = layout.live(args.vhost().certName());
        boolean cert = facts.get(new ExistsFact(live + "/fullchain.pem")) && facts.get(new ExistsFact(live + "/privkey.pem"));
        if (cert) return Serving.HTTPS;
        if (args.tls().equals("on")) {
            // In a check run the certbot task before this one has not run yet: show the HTTPS vhost it leads to.
            if (ctx.check()) return Serving.HTTPS;
            throw new TaskException("tls: on, but there is no certificate '" + args.vhost().certName() + "' (" + live
                    + "/fullchain.pem and privkey.pem); obtain it with the certbot module first, or use tls: auto");
        }
        return Serving.ACME_ONLY;
    }

    private static String describe(FileState s) {
        return FileWrite.describe(s);
    }
}
