package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.moat.facts.CommandFact;
import dev.moat.facts.CommandOutput;
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
import dev.moat.modules.nginx.CertInfo;
import dev.moat.modules.nginx.CertbotCommand;
import dev.moat.modules.nginx.NginxLayout;
import dev.moat.modules.nginx.Vhost;
import dev.moat.transport.Sh;

/**
 * A TLS certificate from an ACME CA, obtained with {@code certbot certonly} (webroot authenticator
 * by default: {@code nginx_vhost} serves {@code /.well-known/acme-challenge/} from the webroot on
 * port 80 before the certificate exists; or {@code authenticator: nginx}). Certbot's installer never
 * runs, so it never edits an Nginx file: {@code nginx_vhost} renders HTTPS once the certificate
 * exists, and the two never fight.
 *
 * <p>Converged when {@code /etc/letsencrypt/live/CERT/cert.pem} covers every domain with more than
 * {@value #RENEW_DAYS} days left (read with {@code openssl x509} on the host, decided on the
 * controller against the module's clock). Otherwise it issues, expands or renews (forced, since moat
 * decided it is due). Renewal is scheduled: where systemd runs, the package's {@code certbot.timer}
 * is enabled (with a drop-in giving {@code certbot.service} the CA bundle); elsewhere, or when no such
 * timer exists, {@code /etc/cron.d/moat-certbot} runs {@code certbot renew -q} twice a day. A deploy
 * hook {@code /etc/letsencrypt/renewal-hooks/deploy/moat-reload-nginx} reloads nginx after each
 * renewal ({@code deploy_hook} replaces its command).
 *
 * <p>{@code ca_bundle} is a file on the controller (absolute or under the playbook's {@code files/})
 * holding the CA certificate(s) that certbot must trust the ACME server with, e.g. Pebble's; it is
 * uploaded to {@value #CA_BUNDLE} and given to certbot as {@code REQUESTS_CA_BUNDLE}. A failed
 * issuance fails the task with one paragraph naming the domains and the CA's reason. Undo restores
 * {@code /etc/letsencrypt} and the files written, but the issuance itself is named as irreversible:
 * the CA issued (and logged) the certificate.
 *
 * <pre>
 * - certbot:
 *     domains: [llm.example.com]
 *     email: ops@example.com
 *     acme_server: https://10.77.0.1:14000/dir
 *     ca_bundle: pebble.minica.pem
 * </pre>
 */
public final class Certbot implements Module<Certbot.CertbotArgs> {
    /** A certificate with this many days left or fewer is renewed. */
    public static final int RENEW_DAYS = 30;
    public static final String CA_BUNDLE = "/etc/moat/acme-ca.pem";
    public static final String CRON = "/etc/cron.d/moat-certbot";
    public static final String HOOK = "/etc/letsencrypt/renewal-hooks/deploy/moat-reload-nginx";
    public static final String DROPIN = "/etc/systemd/system/certbot.service.d/moat-acme-ca.conf";
    static final String LETSENCRYPT = "/etc/letsencrypt";

    /** The default deploy hook: reload nginx if it runs (never start it from a renewal). */
    public static final String RELOAD_IF_RUNNING = "if [ -d /run/systemd/system ]; then\n"
            + "    if systemctl is-active --quiet nginx; then systemctl reload nginx; fi\n"
            + "elif [ -s /run/nginx.pid ] && kill -0 \"$(cat /run/nginx.pid)\" 2>/dev/null; then\n"
            + "    nginx -s reload\n"
            + "fi\n";

    static final Spec SPEC = Spec.of(
            ArgSpec.required("domains", ArgType.LIST).withAliases("domain"),
            ArgSpec.required("email", ArgType.STRING),
            ArgSpec.optional("acme_server", ArgType.STRING).withAliases("server"),
            ArgSpec.optional("ca_bundle", ArgType.STRING),
            ArgSpec.optional("staging", ArgType.BOOL, false),
            ArgSpec.optional("cert_name", ArgType.STRING),
            ArgSpec.optional("webroot", ArgType.STRING, "/var/www/moat-acme"),
            ArgSpec.choice("authenticator", "webroot", "webroot", "nginx"),
            ArgSpec.choice("key_type", "ecdsa", "ecdsa", "rsa"),
            ArgSpec.optional("deploy_hook", ArgType.STRING))
            .exclusive("acme_server", "staging");

    /** Validated arguments; {@code caBundle} is the controller-side path, or null. */
    public record CertbotArgs(String certName, List<String> domains, String email, String server, String caBundle,
                              boolean staging, String webroot, String authenticator, String keyType, String deployHook) {}

    private final Clock clock;

    public Certbot() {
        this(Clock.systemUTC());
    }

    /** With a fixed clock, tests decide "more than 30 days left" exactly. */
    public Certbot(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "certbot";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public CertbotArgs bind(Args a) throws ArgException {
        List<String> domains = new ArrayList<>();
        for (String d : a.strings("domains")) {
            String n = d.strip().toLowerCase(Locale.ROOT);
            if (n.startsWith("*.")) throw new ArgException("domains", "'" + d + "': wildcard names need the DNS-01 challenge, which this module does not do");
            if (!Vhost.isServerName(n) || !n.contains(".")) throw new ArgException("domains", "'" + d + "' is not a DNS name");
            if (!domains.contains(n)) domains.add(n);
        }
        if (domains.isEmpty()) throw new ArgException("domains", "domains needs at least one DNS name");
        String email = a.str("email").strip();
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) throw new ArgException("email", "'" + email + "' is not an e-mail address");
        String server = a.str("acme_server");
        if (server != null && !server.matches("https://[^\\s'\"]+")) {
            throw new ArgException("acme_server", "acme_server must be an https:// ACME directory URL, got '" + server + "'");
        }
        String cert = a.str("cert_name", domains.get(0));
        if (!cert.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new ArgException("cert_name", "cert_name '" + cert + "' must be letters, digits and ._-");
        String hook = a.str("deploy_hook");
        if (hook != null && hook.isBlank()) throw new ArgException("deploy_hook", "deploy_hook is empty");
        return new CertbotArgs(cert, List.copyOf(domains), email, server, a.str("ca_bundle"), a.bool("staging"),
                Paths.absolute("webroot", a.str("webroot")), a.str("authenticator"), a.str("key_type"), hook);
    }

    static final CommandFact SYSTEMD = new CommandFact("cmd:systemd", "if [ -d /run/systemd/system ]; then echo yes; else echo no; fi");
    static final ServiceFact TIMER = new ServiceFact("certbot.timer");

    static String certPath(String certName) {
        return NginxLayout.DEBIAN.live(certName) + "/cert.pem";
    }

    /** The certificate's end date and names; keyed so that a touch of it (or of /etc/letsencrypt, see {@link #plan}) re-reads it. */
    static CommandFact certFact(String certName) {
        return new CommandFact("x509:" + certPath(certName), CertInfo.script(Sh.q(certPath(certName))));
    }

    @Override
    public List<Fact<?>> reads(CertbotArgs args) {
        List<Fact<?>> r = new ArrayList<>(List.of(certFact(args.certName()), SYSTEMD, TIMER, new FileFact(CRON), new FileFact(HOOK)));
        if (args.caBundle() != null) {
            r.add(new FileFact(CA_BUNDLE));
            r.add(new FileFact(FileWrite.parentOf(CA_BUNDLE)));
            r.add(new FileFact(DROPIN));
        }
        if (args.authenticator().equals("webroot")) r.add(new ExistsFact(args.webroot()));
        return r;
    }

    @Override
    public Plan plan(CertbotArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Plan.Builder b = Plan.builder();
        if (args.caBundle() != null) caBundle(b, args, facts, ctx);
        if (args.authenticator().equals("webroot") && !facts.get(new ExistsFact(args.webroot()))) {
            b.step(Step.run("create ACME webroot " + args.webroot(), "mkdir -p -m 0755 -- " + Sh.q(args.webroot())));
            b.diff(Diff.of(args.webroot(), "absent", "directory"));
            b.undo(new Undo.RestorePath(args.webroot()));
            b.touches("file:" + args.webroot());
        }
        String hook = hookScript(args);
        writeFile(b, HOOK, hook, "0755", facts.get(new FileFact(HOOK)), "deploy hook");
        issue(b, args, facts);
        schedule(b, args, facts, ctx);
        return b.build();
    }

    static String hookScript(CertbotArgs args) {
        String body = args.deployHook() == null ? RELOAD_IF_RUNNING : args.deployHook().endsWith("\n") ? args.deployHook() : args.deployHook() + "\n";
        return "#!/bin/sh\n# Managed by moat (certbot): certbot runs this after each successful renewal.\n" + body;
    }

    private void issue(Plan.Builder b, CertbotArgs args, Facts facts) throws TaskException {
        CommandOutput out = facts.get(certFact(args.certName()));
        CertInfo cur;
        try {
            cur = out.ok() ? CertInfo.parse(out.stdout()) : null;
        } catch (IllegalArgumentException e) {
            throw new TaskException("cannot read certificate " + certPath(args.certName()) + ": " + e.getMessage());
        }
        if (!out.ok()) {
            throw new TaskException("cannot read certificate " + certPath(args.certName()) + " with openssl: " + out.stderr().strip());
        }
        String before;
        boolean renew = false;
        if (cur == null) {
            before = "absent\n";
        } else {
            long days = cur.daysLeft(clock.instant());
            b.result("not_after", cur.notAfter().toString());
            b.result("days_left", days);
            boolean covers = cur.covers(args.domains());
            if (covers && days > RENEW_DAYS) return;
            renew = covers;
            before = String.join(", ", cur.dnsNames()) + "; " + (days < 0 ? "expired" : days + " days left")
                    + (covers ? "" : "; lacks " + String.join(", ", cur.missing(args.domains()))) + "\n";
        }
        CertbotCommand cmd = command(args, renew);
        String action = cur == null ? "obtain" : renew ? "renew" : "expand";
        b.step(Step.run(action + " certificate " + args.certName() + " (" + String.join(", ", args.domains()) + ")", cmd.script()));
        b.diff(Diff.of("certificate " + args.certName(), before, String.join(", ", args.domains()) + "; new from "
                + (args.server() != null ? args.server() : args.staging() ? "Let's Encrypt staging" : "Let's Encrypt") + "\n"));
        b.undo(new Undo.RestorePath(LETSENCRYPT));
        b.undo(new Undo.Irreversible("certificate issued by the ACME server for " + String.join(", ", args.domains())
                + " (a rollback deletes it on the host; the CA issued and logged it)"));
        b.touches("file:" + LETSENCRYPT);
        b.touches(certFact(args.certName()).key());
    }

    static CertbotCommand command(CertbotArgs args, boolean renew) {
        return new CertbotCommand(args.certName(), args.domains(), args.email(), args.server(), args.staging(), args.authenticator(),
                args.webroot(), args.keyType(), args.caBundle() == null ? null : CA_BUNDLE, renew, renew ? Sh.q(HOOK) : null);
    }

    private static void caBundle(Plan.Builder b, CertbotArgs args, Facts facts, PlanContext ctx) throws TaskException {
        byte[] pem = Copy.readLocal(args.caBundle(), ctx.localPath(args.caBundle(), "files")).bytes();
        String text = new String(pem, StandardCharsets.UTF_8);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new TaskException("ca_bundle " + args.caBundle() + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        if (text.contains("PRIVATE KEY")) throw new TaskException("ca_bundle " + args.caBundle() + " contains a private key; give only the CA certificate");
        FileState cur = facts.get(new FileFact(CA_BUNDLE));
        if (cur.isFile() && FileFact.sha256(pem).equals(cur.sha256())) return;
        FileState dir = facts.get(new FileFact(FileWrite.parentOf(CA_BUNDLE)));
        b.step(new Step("upload ACME CA bundle to " + CA_BUNDLE, "mkdir -p -m 0755 " + FileWrite.parentOf(CA_BUNDLE) + "\n"
                + FileWrite.writeScript(CA_BUNDLE, new Attrs("0644", null, null), null, cur), pem, false));
        b.diff(Diff.file(CA_BUNDLE, FileWrite.describe(cur), text));
        b.undo(new Undo.RestorePath(dir.exists() ? CA_BUNDLE : dir.path()));
        b.touches("file:" + CA_BUNDLE);
    }

    /** Adds a write of {@code text} to {@code path} (creating its directory) when the file differs; true if it did. */
    private static boolean writeFile(Plan.Builder b, String path, String text, String mode, FileState cur, String what) {
        if (cur.isFile() && text.equals(cur.text()) && mode.equals(cur.mode())) return false;
        b.step(Step.write("write " + what + " " + path, "mkdir -p -m 0755 " + Sh.q(FileWrite.parentOf(path)) + "\n"
                + FileWrite.writeScript(path, new Attrs(mode, "0", "0"), null, cur), text));
        b.diff(Diff.file(path, FileWrite.describe(cur), text));
        if (cur.isFile() && !mode.equals(cur.mode())) b.diff(Diff.of(path, "mode " + cur.mode(), "mode " + mode));
        b.undo(new Undo.RestorePath(path));
        b.touches("file:" + path);
        return true;
    }

    private static void schedule(Plan.Builder b, CertbotArgs args, Facts facts, PlanContext ctx) throws TaskException {
        boolean systemd = "yes".equals(facts.get(SYSTEMD).stdout().strip());
        ServiceState timer = facts.get(TIMER);
        if (systemd && timer.known()) {
            if (args.caBundle() != null) {
                FileState cur = facts.get(new FileFact(DROPIN));
                String text = "# Managed by moat (certbot): renewals trust the private ACME CA.\n[Service]\nEnvironment=REQUESTS_CA_BUNDLE=" + CA_BUNDLE + "\n";
                if (writeFile(b, DROPIN, text, "0644", cur, "certbot.service drop-in")) b.step(Step.run("systemctl daemon-reload", "systemctl daemon-reload"));
            }
            if (!Boolean.TRUE.equals(timer.running()) || !Boolean.TRUE.equals(timer.enabled())) {
                b.step(Step.run("enable and start certbot.timer", "systemctl enable --now certbot.timer"));
                b.diff(Diff.of("service certbot.timer", describe(timer), "running, enabled at boot\n"));
                b.undo(new Undo.RestoreService("certbot.timer", Boolean.TRUE.equals(timer.running()), timer.enabled()));
                b.touches("service:certbot.timer");
            }
            return;
        }
        writeFile(b, CRON, cron(args, ctx.host()), "0644", facts.get(new FileFact(CRON)), "renewal cron entry");
    }

    /** Twice a day at a minute fixed per host (spreading a fleet's requests), as certbot's own cron file does. */
    static String cron(CertbotArgs args, String host) {
        int minute = Math.floorMod(host.hashCode(), 60);
        String env = args.caBundle() == null ? "" : "REQUESTS_CA_BUNDLE=" + CA_BUNDLE + " ";
        return "# Managed by moat (certbot): renew certificates twice a day; " + HOOK + " reloads nginx.\n"
                + "SHELL=/bin/sh\n"
                + "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
                + minute + " 0,12 * * * root " + env + "certbot renew -q\n";
    }

    private static String describe(ServiceState s) {
        String r = s.running() == null ? "state unknown" : s.running() ? "running" : "stopped";
        String e = s.enabled() == null ? "" : s.enabled() ? ", enabled at boot" : ", disabled at boot";
        return r + e + "\n";
    }
}
