package dev.moat.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of OpenSSH's client configuration ({@code ~/.ssh/config}) moat honours: {@code Host}
 * blocks (several patterns, {@code *}/{@code ?} globs, {@code !negation}) with {@code HostName},
 * {@code Port}, {@code User}, {@code IdentityFile}, {@code ProxyJump} and {@code ProxyCommand}, plus {@code Include}.
 * As in OpenSSH the first value found for a keyword wins, IdentityFile accumulates, and the name
 * matched is the one ssh is given (Ansible's {@code ansible_host}). {@code Match} blocks are
 * skipped: their conditions need a live ssh. Other keywords are ignored.
 *
 * <pre>
 * Host gpu-* !gpu-test
 *     User ops
 *     ProxyJump bastion.example.net:2222
 * </pre>
 */
public final class SshConfig {
    /** What the file says for one host; null/0/empty where it says nothing. */
    public record Resolved(String hostName, int port, String user, List<String> identityFiles, String proxyJump,
                           String proxyCommand) {
        public Resolved {
            identityFiles = List.copyOf(identityFiles);
        }
    }

    private record Option(String key, String value) {}

    private record Block(List<String> patterns, boolean match, List<Option> options) {}

    public static final SshConfig EMPTY = new SshConfig(List.of());

    private final List<Block> blocks;

    private SshConfig(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Reads {@code file}; a missing file is an empty configuration. */
    public static SshConfig load(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) return EMPTY;
        List<String> lines = new ArrayList<>();
        inline(file, lines, 0);
        return parse(lines);
    }

    public static SshConfig parse(String text) {
        return parse(text.lines().toList());
    }

    private static void inline(Path file, List<String> out, int depth) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            List<String> w = words(line);
            if (depth < 8 && w.size() >= 2 && w.get(0).equalsIgnoreCase("include")) {
                for (String pattern : w.subList(1, w.size())) {
                    for (Path inc : includes(file.getParent(), pattern)) inline(inc, out, depth + 1);
                }
            } else {
                out.add(line);
            }
        }
    }

    private static List<Path> includes(Path dir, String pattern) throws IOException {
        String p = expandTilde(pattern);
        Path path = Path.of(p).isAbsolute() ? Path.of(p) : dir.resolve(p);
        String name = path.getFileName().toString();
        List<Path> found = new ArrayList<>();
        if (!name.contains("*") && !name.contains("?")) {
            if (Files.isRegularFile(path)) found.add(path);
            return found;
        }
        if (!Files.isDirectory(path.getParent())) return found;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent(), name)) {
            for (Path f : ds) if (Files.isRegularFile(f)) found.add(f);
        }
        found.sort(null);
        return found;
    }

    private static SshConfig parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(List.of("*"), false, new ArrayList<>());
        blocks.add(current);
        for (String line : lines) {
            List<String> w = words(line);
            if (w.isEmpty()) continue;
            String key = w.get(0).toLowerCase(Locale.ROOT);
            if (key.equals("host")) {
                current = new Block(List.copyOf(w.subList(1, w.size())), false, new ArrayList<>());
                blocks.add(current);
            } else if (key.equals("match")) {
                current = new Block(List.of(), true, new ArrayList<>());
                blocks.add(current);
            } else if (key.equals("proxycommand") && w.size() >= 2) {
                // the rest of the line goes to the shell as written, quotes included
                current.options().add(new Option(key, ProxyJumps.proxyCommandText(line.strip())));
            } else if (w.size() >= 2) {
                current.options().add(new Option(key, String.join(" ", w.subList(1, w.size()))));
            }
        }
        return new SshConfig(blocks);
    }

    /** Splits a line into keyword and arguments: {@code Key value}, {@code Key=value}, "quoted words", # comments. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) return out;
        int eq = s.indexOf('=');
        int sp = indexOfSpace(s);
        if (eq > 0 && (sp < 0 || eq < sp || s.substring(sp, eq).isBlank())) {
            out.add(s.substring(0, eq).strip());
            s = s.substring(eq + 1);
        }
        StringBuilder cur = null;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                if (cur == null) cur = new StringBuilder();
            } else if (!quoted && Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else if (!quoted && c == '#' && cur == null) {
                break;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    /** What applies to {@code host}, the name as given to ssh. */
    public Resolved resolve(String host) {
        String hostName = null, user = null, jump = null, command = null;
        int port = 0;
        List<String> ids = new ArrayList<>();
        for (Block b : blocks) {
            if (b.match() || !KnownHosts.matches(String.join(",", b.patterns()), host)) continue;
            for (Option o : b.options()) {
                String v = o.value();
                switch (o.key()) {
                    case "hostname":
                        if (hostName == null) hostName = v.replace("%h", host).replace("%%", "%");
                        break;
                    case "port":
                        if (port == 0) port = parsePort(v);
                        break;
                    case "user":
                        if (user == null) user = v;
                        break;
                    case "identityfile":
                        ids.add(v);
                        break;
                    case "proxyjump":
                        // ProxyJump and ProxyCommand exclude each other: the first one given wins, as in OpenSSH
                        if (jump == null && command == null) jump = v;
                        break;
                    case "proxycommand":
                        if (jump == null && command == null) command = v;
                        break;
                    default:
                        break;
                }
            }
        }
        if ("none".equalsIgnoreCase(String.valueOf(command).strip())) command = null;
        return new Resolved(hostName, port, user, ids, jump, command);
    }

    private static int parsePort(String v) {
        try {
            int p = Integer.parseInt(v.strip());
            return p > 0 && p < 65536 ? p : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Expands {@code ~}, {@code %d} (home), {@code %u} (local user), {@code %h} (host), {@code %r} (remote user), {@code %%}. */
    static String expandPath(String path, String host, String remoteUser) {
        return expandTokens(expandTilde(path), java.util.Map.of('d', System.getProperty("user.home"),
                'u', System.getProperty("user.name"), 'h', host, 'r', remoteUser == null ? "" : remoteUser));
    }

    /** OpenSSH's {@code %} tokens: each {@code %x} of {@code tokens} replaced, {@code %%} a percent sign, others kept. */
    static String expandTokens(String s, java.util.Map<Character, String> tokens) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char t = s.charAt(++i);
            if (t == '%') b.append('%');
            else if (tokens.containsKey(t)) b.append(tokens.get(t));
            else b.append('%').append(t);
        }
        return b.toString();
    }

    private static String expandTilde(String p) {
        if (p.equals("~")) return System.getProperty("user.home");
        if (p.startsWith("~/")) return System.getProperty("user.home") + p.substring(1);
        return p;
    }
}
