package dev.moat.modules.ufw;

import java.util.ArrayList;
import java.util.List;

import dev.moat.module.TaskException;

/**
 * Port numbers of named services from the host's {@code /etc/services}, the table ufw itself looks
 * names up in, so {@code port: https} means on the controller what it means on the host. Names are
 * turned into numbers before a rule is compared or sent, as ufw stores numbers.
 */
public final class Services {
    private record Entry(String name, List<String> aliases, int port, String proto) {}

    private final List<Entry> entries;

    private Services(List<Entry> entries) {
        this.entries = entries;
    }

    public static Services parse(String etcServices) {
        List<Entry> out = new ArrayList<>();
        if (etcServices == null) return new Services(out);
        for (String line : etcServices.split("\n")) {
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
            String[] f = l.split("\\s+");
            if (f.length < 2 || !f[1].matches("\\d+/\\w+")) continue;
            String[] pp = f[1].split("/");
            List<String> aliases = new ArrayList<>();
            for (int i = 2; i < f.length; i++) aliases.add(f[i]);
            out.add(new Entry(f[0], aliases, Integer.parseInt(pp[0]), pp[1]));
        }
        return new Services(out);
    }

    /** A port spec with every service name replaced by its number (for {@code proto}, or tcp first when any). */
    public String resolve(String spec, String proto) throws TaskException {
        List<String> parts = new ArrayList<>();
        for (String p : spec.split(",")) parts.add(Character.isDigit(p.charAt(0)) ? p : String.valueOf(port(p, proto)));
        return String.join(",", parts);
    }

    private int port(String name, String proto) throws TaskException {
        Entry fallback = null;
        for (Entry e : entries) {
            if (!e.name().equals(name) && !e.aliases().contains(name)) continue;
            if (e.proto().equals(proto) || (proto.equals("any") && e.proto().equals("tcp"))) return e.port();
            if (fallback == null) fallback = e;
        }
        if (fallback != null && proto.equals("any")) return fallback.port();
        throw new TaskException("port '" + name + "' is not a " + (proto.equals("any") ? "" : proto + " ")
                + "service in the host's /etc/services; give the port number");
    }
}
