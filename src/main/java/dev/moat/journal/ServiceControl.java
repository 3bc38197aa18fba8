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
}
