package dev.moat.journal;

import java.util.regex.Pattern;

import dev.moat.transport.Sh;

/**
 * How a rollback makes a service load its restored files ({@link Undo.Reload}): the command is
 * built here from the service's name, never read from a run record. nginx is tested and reloaded
 * only if it runs; sshd is reloaded (or restarted, or started when none runs) so it takes the
 * restored /etc/ssh; any other service is reloaded if it runs.
 */
public final class ServiceReload {
    private ServiceReload() {}

    /** What a service name may be (systemd unit names, init scripts). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9@._-]+");

    /**
     * Makes sshd run with a restored /etc/ssh: a reload (SIGHUP: sshd re-executes itself with the
     * configuration, listen addresses included, under the same PID; open sessions survive), else a
     * restart when no sshd runs.
     */
    public static final String SSHD = "if [ -d /run/systemd/system ]; then "
            + "systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || systemctl restart ssh 2>/dev/null || systemctl restart sshd; "
            + "elif [ -s /run/sshd.pid ] && kill -0 \"$(cat /run/sshd.pid)\" 2>/dev/null; then kill -HUP \"$(cat /run/sshd.pid)\"; sleep 1; "
            + "else service ssh start >/dev/null 2>&1 || /etc/init.d/ssh start; fi";

    /**
     * Makes nginx load the restored files if it runs (after testing them), and leaves a stopped
     * nginx stopped; no nginx any more (the rollback purged the package it installed): nothing to do.
     */
    static final String NGINX = "command -v nginx >/dev/null 2>&1 || exit 0\n"
            + "if [ -d /run/systemd/system ]; then\n"
            + "  if systemctl is-active --quiet nginx; then nginx -t && systemctl reload nginx; fi\n"
            + "elif [ -s /run/nginx.pid ] && kill -0 \"$(cat /run/nginx.pid)\" 2>/dev/null; then\n"
            + "  nginx -t && nginx -s reload\n"
            + "fi";

    /**
     * As {@link #script(String)}; with {@code restart}, a systemd unit whose own file was restored is
     * restarted after a {@code daemon-reload} (a unit that runs {@code docker run -p ...} in the
     * foreground takes its restored command line only so).
     */
    public static String script(String service, boolean restart) {
        if (!restart) return script(service);
        if (!NAME.matcher(service).matches()) throw new IllegalArgumentException("not a service name: '" + service + "'");
        String q = Sh.q(service);
        return "if [ -d /run/systemd/system ]; then systemctl daemon-reload && systemctl restart " + q + "; fi";
    }

    /** The script that makes {@code service} load its files again (see the class comment). */
    public static String script(String service) {
        if (!NAME.matcher(service).matches()) throw new IllegalArgumentException("not a service name: '" + service + "'");
        if (service.equals("systemd")) return "if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi";
        if (service.equals("sshd") || service.equals("ssh")) return SSHD;
        if (service.equals("nginx")) return NGINX;
        String q = Sh.q(service);
        return "if [ -d /run/systemd/system ]; then\n"
                + "  if systemctl is-active --quiet " + q + "; then systemctl reload " + q + "; fi\n"
                + "elif [ -x " + Sh.q("/etc/init.d/" + service) + " ] && service " + q + " status >/dev/null 2>&1; then\n"
                + "  service " + q + " reload\n"
                + "fi";
    }
}
