package dev.moat.journal;

import dev.moat.transport.Sh;

/** Shell that puts a service back to a recorded state, with systemd when it runs, else the service command. */
final class ServiceControl {
    private ServiceControl() {}

    static String restore(Undo.RestoreService s) {
        String n = Sh.q(s.name());
        StringBuilder b = new StringBuilder();
        b.append("if [ -d /run/systemd/system ]; then\n");
        b.append("  systemctl ").append(s.running() ? "start" : "stop").append(' ').append(n).append('\n');
        if (s.enabled() != null) b.append("  systemctl ").append(s.enabled() ? "enable" : "disable").append(" -q ").append(n).append('\n');
        b.append("else\n");
        b.append("  service ").append(n).append(' ').append(s.running() ? "start" : "stop").append(" >/dev/null 2>&1 || ");
        if (s.name().equals("nginx")) {
            b.append(s.running() ? "nginx" : "nginx -s quit");
        } else {
            b.append("{ echo \"cannot ").append(s.running() ? "start" : "stop").append(" service ").append(s.name()).append("\" >&2; exit 5; }");
        }
        b.append("\nfi\n");
        return b.toString();
    }

    /**
     * Puts a systemd unit back: masked again (stopped first when it was inactive), or unmasked, enabled
     * or disabled as it was, then started or stopped. Without systemd as PID 1 it cannot, and says so.
     */
    static String restoreUnit(Undo.RestoreUnit u) {
        String n = Sh.q(u.name());
        StringBuilder b = new StringBuilder();
        b.append("[ -d /run/systemd/system ] || { echo ").append(Sh.q("cannot restore unit " + u.name() + ": systemd is not running"))
         .append(" >&2; exit 5; }\n");
        if (u.masked()) {
            if (!u.active()) b.append("systemctl stop -- ").append(n).append('\n');
            b.append("systemctl mask -q -- ").append(n).append('\n');
            return b.toString();
        }
        b.append("if [ \"$(systemctl is-enabled -- ").append(n).append(" 2>/dev/null)\" = masked ]; then systemctl unmask -q -- ").append(n).append("; fi\n");
        if (u.enabled() != null) b.append("systemctl ").append(u.enabled() ? "enable" : "disable").append(" -q -- ").append(n).append('\n');
        b.append("systemctl ").append(u.active() ? "start" : "stop").append(" -- ").append(n).append('\n');
        return b.toString();
    }

    /** Writes a kernel parameter's saved live value back. */
    static String restoreSysctl(Undo.RestoreSysctl s) {
        return "sysctl -q -w " + Sh.q(s.name() + "=" + s.value()) + " >/dev/null\n";
    }
}
