package dev.moat.modules.system;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * What community.general's {@code timezone} reads to judge a zone on Linux: whether
 * {@code timedatectl} answers (systemd runs) and the zone it reports, whether the zone's file
 * exists, where /etc/localtime links (and whether the link resolves), whether a plain
 * /etc/localtime equals the zone's file, and whether {@code dpkg-reconfigure} is there (Debian).
 * Key {@code tz:/etc/localtime/ZONE}, under /etc/localtime, so writing it makes the read stale.
 * Output: {@code key=value} lines.
 */
public record TimezoneFact(String zone) implements Fact<Map<String, String>> {
    public static final String ZONEINFO = "/usr/share/zoneinfo/";

    @Override
    public String key() {
        return "tz:/etc/localtime/" + zone;
    }

    @Override
    public String script() {
        String z = Sh.q(ZONEINFO + zone);
        return "l=/etc/localtime; z=" + z + "\n"
                + "if command -v timedatectl >/dev/null 2>&1 && s=$(timedatectl 2>/dev/null); then echo timedatectl=yes\n"
                + "  printf '%s\\n' \"$s\" | sed -n 's/^[[:space:]]*Time \\{0,1\\}zone[[:space:]]*:[[:space:]]*\\([^[:space:]]*\\).*/zone=\\1/p' | head -n 1\n"
                + "else echo timedatectl=no; fi\n"
                + "if [ -f \"$z\" ]; then echo zonefile=yes; else echo zonefile=no; fi\n"
                + "if [ -L \"$l\" ]; then printf 'link=%s\\n' \"$(readlink -- \"$l\")\"; if [ -e \"$l\" ]; then echo linkok=yes; else echo linkok=no; fi\n"
                + "elif cmp -s \"$l\" \"$z\"; then echo same=yes; else echo same=no; fi\n"
                + "if command -v dpkg-reconfigure >/dev/null 2>&1; then echo debian=yes; else echo debian=no; fi";
    }

    @Override
    public Map<String, String> parse(FactOutput out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.text().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }
}
