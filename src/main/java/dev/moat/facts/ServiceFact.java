package dev.moat.facts;

import java.util.HashMap;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Whether a service runs and starts at boot; key {@code service:NAME}. With systemd as PID 1 it asks
 * {@code systemctl}; otherwise the init script's {@code status} (LSB exit codes: 0 running, 1-3 not
 * running, 4 unknown), then a pidfile ({@code /run/NAME.pid}) whose process is alive; boot-time
 * enablement from {@code /etc/rc[2-5].d/S??NAME}. Output is {@code key=value} lines.
 */
public record ServiceFact(String name) implements Fact<ServiceState> {
    public ServiceFact {
        if (name == null || !name.matches("[A-Za-z0-9@_.:-]+")) throw new IllegalArgumentException("bad service name: " + name);
    }

    @Override
    public String key() {
        return "service:" + name;
    }

    @Override
    public String script() {
        return "n=" + Sh.q(name) + "\n"
                + "if [ -d /run/systemd/system ]; then echo manager=systemd\n"
                // One systemctl for both states: is-active prints the unit's ActiveState property,
                // which show reports beside LoadState (both systemd enums: no blanks, no glob characters).
                // Where show fails, the two commands as before. is-enabled stays its own call: for a
                // unit from an init script it asks systemd-sysv-install, which no property answers.
                + "  if s=$(systemctl show -p LoadState -p ActiveState -- \"$n\" 2>/dev/null); then l=; a=\n"
                + "    for x in $s; do case $x in LoadState=*) l=${x#*=};; ActiveState=*) a=${x#*=};; esac; done\n"
                + "    echo \"load=$l\"; echo \"active=$a\"\n"
                + "  else echo \"load=$(systemctl show -p LoadState --value -- \"$n\" 2>/dev/null)\"\n"
                + "    echo \"active=$(systemctl is-active -- \"$n\" 2>/dev/null)\"; fi\n"
                + "  echo \"enabled=$(systemctl is-enabled -- \"$n\" 2>/dev/null)\"\n"
                + "else echo manager=sysv\n"
                + "  if [ -x \"/etc/init.d/$n\" ]; then echo initscript=yes\n"
                + "    service \"$n\" status >/dev/null 2>&1; echo \"status=$?\"\n"
                // the links by a glob, not ls: a match exists (a dangling link too, which ls listed)
                + "    set -- /etc/rc[2345].d/S??\"$n\"; if [ -e \"$1\" ] || [ -L \"$1\" ]; then echo enabled=yes; else echo enabled=no; fi\n"
                + "  fi\n"
                + "  for f in \"/run/$n.pid\" \"/var/run/$n.pid\"; do if [ -r \"$f\" ]; then"
                + " if kill -0 \"$(cat \"$f\")\" 2>/dev/null; then echo pid=alive; else echo pid=dead; fi; break; fi; done\n"
                + "  if command -v \"$n\" >/dev/null 2>&1; then echo binary=yes; fi\n"
                + "fi; :";
    }

    @Override
    public ServiceState parse(FactOutput out) {
        Map<String, String> v = new HashMap<>();
        for (String line : out.text().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) v.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        if ("systemd".equals(v.get("manager"))) {
            String load = v.getOrDefault("load", "");
            boolean known = !load.isEmpty() && !load.equals("not-found");
            return new ServiceState(name, ServiceState.Manager.SYSTEMD, known, active(v.get("active")),
                    enabled(v.get("enabled")), false, false);
        }
        boolean init = "yes".equals(v.get("initscript"));
        String pid = v.get("pid");
        boolean binary = "yes".equals(v.get("binary"));
        Boolean running = null;
        if (init) {
            String st = v.getOrDefault("status", "4");
            if (st.equals("0")) running = true;
            else if (st.equals("1") || st.equals("2") || st.equals("3")) running = false;
        }
        if (running == null && pid != null) running = pid.equals("alive");
        // A daemon with its own pidfile convention (nginx) and no pidfile at all is not running.
        if (running == null && binary && !init) running = false;
        Boolean enabled = init ? Boolean.valueOf("yes".equals(v.get("enabled"))) : null;
        return new ServiceState(name, ServiceState.Manager.SYSV, init || pid != null || binary, running, enabled, init, binary);
    }

    private static Boolean active(String s) {
        if (s == null) return null;
        switch (s) {
            case "active": case "reloading": case "activating": case "refreshing":
                return true;
            case "inactive": case "failed": case "deactivating":
                return false;
            default:
                return null;
        }
    }

    private static Boolean enabled(String s) {
        if (s == null) return null;
        switch (s) {
            case "enabled": case "enabled-runtime": case "static": case "indirect": case "generated": case "alias":
                return true;
            case "disabled": case "masked": case "masked-runtime": case "linked": case "linked-runtime":
                return false;
            default:
                return null;
        }
    }
}
