package dev.moat.modules.system;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * A systemd unit as {@code systemctl show} and {@code systemctl is-enabled} see it, or, with no
 * unit name, how many loaded units need a {@code daemon-reload}. Its key is of kind
 * {@link FactKeys#HOST}: any change (a unit file written, a package installed) makes it stale,
 * since a unit's state follows files moat cannot list in advance.
 *
 * <p>Output: {@code @@systemd no} without systemd as PID 1; else {@code @@systemd yes}, the
 * {@code show} properties as {@code KEY=VALUE} lines, {@code @@enabled STATE} and, with no name,
 * {@code @@stale N}.
 */
public record UnitFact(String name) implements Fact<UnitState> {
    public UnitFact {
        if (name != null && !Units.isName(name)) throw new IllegalArgumentException("not a unit name: " + name);
    }

    @Override
    public String key() {
        return FactKeys.HOST + "systemd:" + (name == null ? "" : name);
    }

    @Override
    public String script() {
        String head = "if [ ! -d /run/systemd/system ]; then echo '@@systemd no'; else echo '@@systemd yes'\n";
        if (name == null) {
            return head + "  u=$(systemctl list-units --all --plain --no-legend --full 2>/dev/null | awk '{print $1}')\n"
                    + "  if [ -n \"$u\" ]; then echo \"@@stale $(systemctl show -p NeedDaemonReload --value -- $u | grep -c '^yes$')\"; "
                    + "else echo '@@stale 0'; fi\nfi; :";
        }
        String n = Sh.q(name);
        return head + "  systemctl show -- " + n + " 2>/dev/null\n"
                + "  echo \"@@enabled $(systemctl is-enabled -- " + n + " 2>/dev/null | head -n 1)\"\nfi; :";
    }

    @Override
    public UnitState parse(FactOutput out) {
        Map<String, String> props = new LinkedHashMap<>();
        boolean systemd = false;
        String enabled = "";
        int stale = 0;
        for (String line : out.text().split("\n")) {
            if (line.equals("@@systemd yes")) systemd = true;
            else if (line.startsWith("@@enabled ")) enabled = line.substring(10).strip();
            else if (line.startsWith("@@stale ")) stale = Integer.parseInt(line.substring(8).strip());
            else {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("@@")) props.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new UnitState(name, systemd, props, enabled, stale);
    }
}
