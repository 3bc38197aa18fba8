package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code docker run} (or {@code docker container run}) command written in a file that starts a
 * container: a systemd unit's {@code ExecStart=}, a drop-in, a script a unit runs, {@code /etc/rc.local}.
 * {@link #find} reads every such command of a text with its container name ({@code --name}),
 * whether it detaches ({@code -d}) and each {@code -p}/{@code --publish} argument with its place
 * in the text, so {@link #patch} can rewrite just those characters. Options stop at the image: a
 * {@code -p} after it is the program's own ({@code vllm serve ... -p 8000} is not a publish).
 */
public record DockerRun(String file, String name, boolean detach, List<Publish> publishes) {
    public DockerRun {
        publishes = List.copyOf(publishes);
    }

    /**
     * One {@code -p} value: {@code [start, end)} is where its text lies in the file (the value
     * only, quotes included), {@code option} where its option begins ({@code -p}); {@code spec} is
     * null when moat cannot read it (a shell variable, a syntax it does not know), so it cannot be
     * rewritten. {@code prefix} is what a rewrite writes before the value: the option itself when
     * the span is a whole quoted word ({@code --publish='[::]:8001:8001'}).
     */
    public record Publish(int option, int start, int end, String prefix, String raw, PortSpec spec) {
        /** Reachable from outside and in scope: what {@code container_ports} rewrites. */
        public boolean exposed(String bind, PortFilter filter) {
            if (spec == null) return true;
            if (spec.hostIp() != null && (Ip.isLoopback(spec.hostIp()) || Ip.same(spec.hostIp(), bind))) return false;
            return filter.matches(spec);
        }

        /** The entry on {@code bind} (an IPv6 one on ::1 for a loopback IPv4 bind, as {@link CreateBody#rebind} does); null to drop it. */
        public String rebound(String bind) {
            String ip = bind;
            if (spec.hostIp() != null && Ip.isV6(spec.hostIp()) && !Ip.isV6(bind)) {
                if (!Ip.isLoopback(bind)) return null;
                ip = "::1";
            }
            return new PortSpec(ip, spec.host(), spec.container(), spec.protocol()).toShort();
        }
    }

    /** Boolean options of {@code docker run}: they take no value, so the next word is not theirs. */
    private static final Set<String> FLAGS = Set.of("-d", "--detach", "-i", "--interactive", "-t", "--tty", "--rm", "--init",
            "--privileged", "-P", "--publish-all", "--read-only", "--no-healthcheck", "--oom-kill-disable", "--sig-proxy",
            "--disable-content-trust", "-q", "--quiet", "--help", "--use-api-socket");
    /** Short options that take a value. */
    private static final String SHORT_VALUED = "acehlmpuvw";

    /** Every {@code docker run} command in {@code text}, a file at {@code file}. */
    public static List<DockerRun> find(String file, String text) {
        List<DockerRun> out = new ArrayList<>();
        for (List<Word> cmd : commands(text)) {
            int i = 0;
            while (i < cmd.size() && !isDocker(cmd.get(i).text)) i++;
            if (i >= cmd.size()) continue;
            i++;
            if (i < cmd.size() && cmd.get(i).text.equals("container")) i++;
            if (i >= cmd.size() || !cmd.get(i).text.equals("run")) continue;
            i++;
            String name = null;
            boolean detach = false;
            List<Publish> pubs = new ArrayList<>();
            while (i < cmd.size()) {
                Word w = cmd.get(i);
                String t = w.text;
                if (!t.startsWith("-") || t.equals("-")) break;
                if (t.equals("--")) break;
                String opt = t;
                String value = null;
                Word valueWord = null;
                int valueStart = -1;
                if (t.startsWith("--")) {
                    int eq = t.indexOf('=');
                    if (eq > 0) {
                        opt = t.substring(0, eq);
                        value = t.substring(eq + 1);
                        valueWord = w;
                        valueStart = w.valueStart(eq + 1);
                    } else if (!FLAGS.contains(t) && i + 1 < cmd.size()) {
                        valueWord = cmd.get(++i);
                        value = valueWord.text;
                    }
                } else {
                    // -dit, -p8000:8000, -itp 8000:8000: flags up to the first valued letter
                    int k = 1;
                    while (k < t.length() && SHORT_VALUED.indexOf(t.charAt(k)) < 0) {
                        if (t.charAt(k) == 'd') detach = true;
                        k++;
                    }
                    if (k < t.length()) {
                        opt = "-" + t.charAt(k);
                        if (k + 1 < t.length()) {
                            value = t.substring(k + 1);
                            valueWord = w;
                            valueStart = w.valueStart(k + 1);
                        } else if (i + 1 < cmd.size()) {
                            valueWord = cmd.get(++i);
                            value = valueWord.text;
                        }
                    } else {
                        opt = null;
                    }
                }
                if ("--detach".equals(opt) || "-d".equals(opt)) detach = true;
                if (("--name".equals(opt)) && value != null) name = value;
                if (("-p".equals(opt) || "--publish".equals(opt)) && value != null) {
                    boolean whole = valueStart < 0 || valueWord.quoted;
                    String prefix = valueStart >= 0 && valueWord.quoted ? opt + (opt.startsWith("--") ? "=" : "") : "";
                    int start = whole ? valueWord.start : valueStart;
                    pubs.add(new Publish(w.start, start, valueWord.end, prefix, value, valueWord.variable ? null : spec(value)));
                }
                i++;
            }
            out.add(new DockerRun(file, name, detach, pubs));
        }
        return out;
    }

    /**
     * The text with every exposed, in-scope publish of every {@code docker run} in it moved to
     * {@code bind}; entries with nothing to publish on (an IPv6 one, for a bind with no IPv6
     * counterpart) are removed with their option. Unreadable ones are left: check
     * {@link #unreadable} first.
     */
    public static String patch(String file, String text, String bind, PortFilter filter) {
        List<int[]> spans = new ArrayList<>();
        List<String> with = new ArrayList<>();
        for (DockerRun r : find(file, text)) {
            for (Publish p : r.publishes) {
                if (p.spec == null || !p.exposed(bind, filter)) continue;
                String now = p.rebound(bind);
                spans.add(new int[] {now == null ? p.option : p.start, p.end});
                with.add(now == null ? "" : p.prefix + (now.indexOf('[') >= 0 ? "'" + now + "'" : now));
            }
        }
        StringBuilder s = new StringBuilder(text);
        for (int k = spans.size() - 1; k >= 0; k--) s.replace(spans.get(k)[0], spans.get(k)[1], with.get(k));
        return s.toString();
    }

    /** The publishes moat cannot rewrite (variables, unknown syntax). */
    public List<Publish> unreadable() {
        return publishes.stream().filter(p -> p.spec == null).toList();
    }

    private static PortSpec spec(String v) {
        try {
            return PortSpec.parseShort(v);
        } catch (PortSyntaxException e) {
            return null;
        }
    }

    private static boolean isDocker(String word) {
        String w = word;
        int eq = w.indexOf('=');
        if (w.startsWith("Exec") && eq > 0) w = w.substring(eq + 1);
        w = w.replaceFirst("^[-@+!:]+", "");
        return w.equals("docker") || w.endsWith("/docker");
    }

    /** A word of a command as the shell reads it, with where it lies in the text and how it was written. */
    private record Word(String text, int start, int end, boolean quoted, boolean variable, int[] map) {
        /** Where the character at {@code index} of the word's text lies in the file. */
        int valueStart(int index) {
            return index < map.length ? map[index] : end;
        }
    }

    /** The text's commands, split at newlines (not continued), {@code ;}, {@code &}, {@code |}; comments dropped. */
    private static List<List<Word>> commands(String text) {
        List<List<Word>> out = new ArrayList<>();
        List<Word> cmd = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') { i += 2; continue; }
            if (c == ' ' || c == '\t' || c == '\r') { i++; continue; }
            if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
                if (!cmd.isEmpty()) out.add(cmd);
                cmd = new ArrayList<>();
                i++;
                continue;
            }
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n') i++;
                continue;
            }
            int start = i;
            StringBuilder w = new StringBuilder();
            List<Integer> map = new ArrayList<>();
            boolean quoted = false;
            boolean variable = false;
            while (i < n) {
                c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') break;
                if (c == '\\' && i + 1 < n) {
                    if (text.charAt(i + 1) == '\n') break;
                    map.add(i + 1);
                    w.append(text.charAt(i + 1));
                    i += 2;
                } else if (c == '\'') {
                    quoted = true;
                    i++;
                    while (i < n && text.charAt(i) != '\'') { map.add(i); w.append(text.charAt(i++)); }
                    i++;
                } else if (c == '"') {
                    quoted = true;
                    i++;
                    while (i < n && text.charAt(i) != '"') {
                        char d = text.charAt(i);
                        if (d == '$' || d == '`') variable = true;
                        if (d == '\\' && i + 1 < n) i++;
                        map.add(i);
                        w.append(text.charAt(i++));
                    }
                    i++;
                } else {
                    if (c == '$' || c == '`' || c == '%') variable = true;
                    map.add(i);
                    w.append(c);
                    i++;
                }
            }
            int[] m = new int[map.size()];
            for (int k = 0; k < m.length; k++) m[k] = map.get(k);
            cmd.add(new Word(w.toString(), start, Math.min(i, n), quoted, variable, m));
        }
        if (!cmd.isEmpty()) out.add(cmd);
        return out;
    }
}
