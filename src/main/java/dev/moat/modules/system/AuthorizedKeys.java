package dev.moat.modules.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code ansible.posix.authorized_key} edit of an authorized_keys file, pure and line
 * for line: lines split on whitespace (no quoting, as Ansible's shlex is set up), keys found by
 * their type word, kept in their order by rank, a changed key moved to the end, lines that are not
 * keys kept verbatim (and dropped by {@code exclusive}), a key written back as
 * {@code OPTIONS TYPE KEY COMMENT} (with a trailing space when it has no comment, as Ansible writes it).
 */
public final class AuthorizedKeys {
    private AuthorizedKeys() {}

    static final Set<String> TYPES = Set.of("sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
            "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
            "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "ssh-dss", "ssh-rsa", "ssh-xmss@openssh.com",
            "ssh-xmss-cert-v01@openssh.com", "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa-cert-v01@openssh.com",
            "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com");

    private static final Pattern OPTION = Pattern.compile("(?:[^,\"']|\"[^\"]*\"|'[^']*')+");

    /** One line: a key ({@code type} set) or a line kept verbatim ({@code type} null, {@code key} the raw line). */
    public record Entry(String key, String type, List<String[]> options, String comment, int rank) {
        boolean sameAs(Entry o) {
            return key.equals(o.key) && Objects.equals(type, o.type) && Objects.equals(comment, o.comment) && grouped(options).equals(grouped(o.options));
        }

        String line() {
            if (type == null) return key;
            StringBuilder s = new StringBuilder();
            for (String[] o : options) s.append(s.length() == 0 ? "" : ",").append(o[1] == null ? o[0] : o[0] + "=" + o[1]);
            if (s.length() > 0) s.append(' ');
            return s + type + " " + key + " " + comment + "\n";
        }
    }

    /** What the edit wants: the keys (one per line of {@code key}), options and comment overriding theirs. */
    public record Want(String keys, String options, String comment, boolean present, boolean exclusive) {}

    /** A key line parsed, or null when it holds no key type. */
    public static Entry parse(String raw, int rank) {
        String line = raw.replace("\\#", "#");
        String[] parts = line.strip().isEmpty() ? new String[0] : line.strip().split("\\s+");
        if (parts.length > 0 && parts[0].equals("#")) return new Entry(line, null, List.of(), null, rank);
        for (int i = 0; i < parts.length; i++) {
            if (TYPES.contains(parts[i])) {
                if (i + 1 >= parts.length) return null;
                String options = i > 0 ? String.join(" ", List.of(parts).subList(0, i)) : null;
                String comment = String.join(" ", List.of(parts).subList(Math.min(i + 2, parts.length), parts.length));
                return new Entry(parts[i + 1], parts[i], options(options), comment, rank);
            }
        }
        return null;
    }

    /** Ansible's {@code parseoptions}: comma-separated, commas inside quotes kept. */
    public static List<String[]> options(String options) {
        List<String[]> out = new ArrayList<>();
        if (options == null || options.isEmpty()) return out;
        Matcher m = OPTION.matcher(options);
        while (m.find()) {
            String part = m.group();
            int eq = part.indexOf('=');
            out.add(eq >= 0 ? new String[] {part.substring(0, eq), part.substring(eq + 1)} : new String[] {part, null});
        }
        return out;
    }

    private static Map<String, List<String>> grouped(List<String[]> options) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String[] o : options) m.computeIfAbsent(o[0], k -> new ArrayList<>()).add(o[1]);
        return m;
    }

    /**
     * The file after the edit, or null when nothing changes.
     *
     * @throws IllegalArgumentException a line of {@code want.keys()} that is not a key (the message names it)
     */
    public static String edit(String existing, Want want) {
        Map<String, Entry> keys = new LinkedHashMap<>();
        List<String> lines = dev.moat.modules.LineInFile.split(existing);
        for (int i = 0; i < lines.size(); i++) {
            Entry e = parse(lines.get(i), i);
            keys.put(e != null ? e.key() : lines.get(i), e != null ? e : new Entry(lines.get(i), null, List.of(), null, i));
        }
        int maxRank = keys.size();
        List<String> toExist = new ArrayList<>();
        boolean write = false;
        int rank = 0;
        for (String raw : want.keys().split("\n")) {
            raw = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (raw.isEmpty() || raw.startsWith("#")) continue;
            Entry k = parse(raw, rank);
            if (k == null || k.type() == null) throw new IllegalArgumentException("invalid key specified: " + raw);
            if (want.options() != null) k = new Entry(k.key(), k.type(), options(want.options()), k.comment(), k.rank());
            if (want.comment() != null) k = new Entry(k.key(), k.type(), k.options(), want.comment(), k.rank());
            Entry old = keys.get(k.key());
            boolean matched = old != null && (old.sameAs(k) || !want.present());
            if (want.present()) {
                toExist.add(k.key());
                if (old != null && !matched) {
                    keys.remove(k.key());
                    write = true;
                }
                if (!matched) {
                    keys.put(k.key(), new Entry(k.key(), k.type(), k.options(), k.comment(), maxRank + k.rank()));
                    write = true;
                }
            } else if (matched) {
                keys.remove(k.key());
                write = true;
            }
            rank++;
        }
        if (want.present() && want.exclusive()) write |= keys.keySet().retainAll(toExist);
        if (!write) return null;
        List<Entry> sorted = new ArrayList<>(keys.values());
        sorted.sort(Comparator.comparingInt(Entry::rank));
        StringBuilder out = new StringBuilder();
        for (Entry e : sorted) out.append(e.line());
        return out.toString();
    }
}
