package dev.moat.modules.ufw;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.TaskException;

/**
 * Reads the rules ufw has from its own record of them: the {@code ### tuple ###} lines of
 * {@code /etc/ufw/user.rules} (IPv4) and {@code user6.rules} (IPv6), which ufw writes for every rule
 * and parses back itself, so they are exact where {@code ufw status} output is made for people:
 * <pre>### tuple ### ACTION[_LOG] PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION[_IFACE] [comment=HEX]</pre>
 * ACTION is {@code route:ACTION} for a routed rule; application names have spaces as {@code %20}.
 */
public final class UfwTuples {
    private UfwTuples() {}

    static final String MARK = "### tuple ###";

    /** The rules of both files, in ufw's order; a rule present in both (any address) is one rule. */
    public static List<UfwRule> parse(String v4File, String v6File) throws TaskException {
        Map<String, UfwRule> byKey = new LinkedHashMap<>();
        for (UfwRule r : lines(v4File, false)) byKey.putIfAbsent(r.key(), r);
        for (UfwRule r : lines(v6File, true)) {
            UfwRule seen = byKey.get(r.key());
            byKey.put(r.key(), seen == null ? r : seen.withFamilies(seen.v4(), true));
        }
        return new ArrayList<>(byKey.values());
    }

    static List<UfwRule> lines(String file, boolean v6) throws TaskException {
        List<UfwRule> out = new ArrayList<>();
        if (file == null) return out;
        for (String line : file.split("\n")) {
            if (line.startsWith(MARK)) out.add(tuple(line.substring(MARK.length()).strip(), v6));
        }
        return out;
    }

    static UfwRule tuple(String t, boolean v6) throws TaskException {
        String comment = null;
        int c = t.indexOf(" comment=");
        if (c >= 0) {
            comment = hex(t.substring(c + 9).strip(), t);
            t = t.substring(0, c);
        }
        String[] f = t.strip().split("\\s+");
        if (f.length < 6 || f.length > 9) throw new TaskException("unexpected ufw rule tuple '" + t + "' in user" + (v6 ? "6" : "") + ".rules");
        String action = f[0];
        boolean route = false;
        if (action.startsWith("route:")) {
            route = true;
            action = action.substring(6);
        }
        String log = "";
        int u = action.indexOf('_');
        if (u > 0) {
            log = action.substring(u + 1);
            action = action.substring(0, u);
        }
        String dir = (f.length == 7 || f.length == 9) ? f[f.length - 1] : "in";
        String iface = "";
        if (!route && dir.contains("_")) {
            iface = dir.substring(dir.indexOf('_') + 1);
            dir = dir.substring(0, dir.indexOf('_'));
        }
        String dapp = f.length >= 8 && !f[6].equals("-") ? f[6].replace("%20", " ") : "";
        String sapp = f.length >= 8 && !f[7].equals("-") ? f[7].replace("%20", " ") : "";
        return new UfwRule(action, log, dir, iface, f[1], f[2], f[3], f[4], f[5], dapp, sapp, comment, route, !v6, v6);
    }

    private static String hex(String h, String t) throws TaskException {
        try {
            return new String(HexFormat.of().parseHex(h), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TaskException("unexpected comment in ufw rule tuple '" + t + "'");
        }
    }
}
