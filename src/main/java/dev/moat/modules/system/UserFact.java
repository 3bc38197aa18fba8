package dev.moat.modules.system;

import java.util.ArrayList;
import java.util.List;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * A local user: its passwd entry, a SHA-256 of its password hash (the hash itself never leaves
 * the host), whether the password is locked, every group ({@code name:gid:members}) and whether
 * {@code home} (the home it would get) exists. Key {@code account:/etc/passwd/user/NAME}.
 */
public record UserFact(String name, String home) implements Fact<UserState> {
    public UserFact {
        if (!Accounts.isName(name)) throw new IllegalArgumentException("not a user name: " + name);
        if (!home.startsWith("/")) throw new IllegalArgumentException("absolute home required: " + home);
    }

    @Override
    public String key() {
        return "account:" + Accounts.DB + "/user/" + name;
    }

    @Override
    public String script() {
        return "n=" + Sh.q(name) + "\n"
                + "p=$(getent passwd \"$n\") && printf '@@passwd %s\\n' \"$p\"\n"
                + "s=$(getent shadow \"$n\" | cut -d: -f2)\n"
                + "if [ -n \"$s\" ]; then printf '@@hash %s\\n' \"$(printf %s \"$s\" | sed 's/^!*//' | sha256sum | cut -c1-64)\"; "
                + "case \"$s\" in '!'*) echo '@@locked';; esac; fi\n"
                + "getent group | cut -d: -f1,3,4 | sed 's/^/@@group /'\n"
                + "if [ -e " + Sh.q(home) + " ]; then echo '@@home'; fi; :";
    }

    @Override
    public UserState parse(FactOutput out) {
        String[] pw = null;
        String hash = null;
        boolean locked = false;
        boolean home = false;
        List<UserState.GroupEntry> groups = new ArrayList<>();
        for (String line : out.text().split("\n")) {
            if (line.startsWith("@@passwd ")) pw = line.substring(9).split(":", -1);
            else if (line.startsWith("@@hash ")) hash = line.substring(7).strip();
            else if (line.equals("@@locked")) locked = true;
            else if (line.equals("@@home")) home = true;
            else if (line.startsWith("@@group ")) {
                String[] g = line.substring(8).split(":", -1);
                if (g.length >= 2 && g[1].matches("\\d+")) {
                    groups.add(new UserState.GroupEntry(g[0], Integer.parseInt(g[1]),
                            g.length > 2 && !g[2].isEmpty() ? List.of(g[2].split(",")) : List.of()));
                }
            }
        }
        if (pw == null || pw.length < 7) return new UserState(name, false, -1, -1, null, null, null, hash, locked, groups, home);
        return new UserState(name, true, Integer.parseInt(pw[2]), Integer.parseInt(pw[3]), pw[4], pw[5], pw[6], hash, locked, groups, home);
    }
}
