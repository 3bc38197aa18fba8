package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.NotYet;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;
import dev.moat.module.Waiting;
import dev.moat.transport.Sh;

/**
 * Ansible's {@code wait_for}, on the host: a TCP {@code port} on {@code host} accepting
 * ({@code started}), refusing ({@code stopped}) or with no established connection left
 * ({@code drained}); or a {@code path} that exists ({@code present}/{@code started}, with an
 * optional {@code search_regex} in its content) or is gone ({@code absent}); or, with neither, a
 * plain wait of {@code timeout} seconds. Each look is one small command; the engine looks again
 * every {@code sleep} seconds after {@code delay} until {@code timeout}. Read-only, with no undo.
 *
 * <pre>
 * - wait_for: {port: 8000, host: 127.0.0.1, timeout: 120}
 * - wait_for: {path: /var/log/vllm.log, search_regex: "Uvicorn running", timeout: 600}
 * </pre>
 */
public final class WaitFor implements Module<WaitFor.WaitArgs>, Waiting<WaitFor.WaitArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("host", ArgType.STRING, "127.0.0.1"),
            ArgSpec.optional("port", ArgType.INT),
            ArgSpec.optional("path", ArgType.STRING),
            ArgSpec.optional("search_regex", ArgType.STRING),
            ArgSpec.choice("state", "started", "started", "stopped", "present", "absent", "drained"),
            ArgSpec.optional("timeout", ArgType.INT, 300),
            ArgSpec.optional("delay", ArgType.INT, 0),
            ArgSpec.optional("sleep", ArgType.INT, 1),
            ArgSpec.optional("connect_timeout", ArgType.INT, 5),
            ArgSpec.optional("msg", ArgType.STRING))
            .exclusive("port", "path");

    /** Validated arguments. */
    public record WaitArgs(String host, Integer port, String path, Pattern regex, String state, int timeout, int delay,
                           int sleep, int connectTimeout, String msg) {}

    /**
     * What one look found: for a port, "open", "closed" or the count of established connections
     * ({@code what}); for a path, whether it exists, its kind ({@code file}, {@code directory}) and its text.
     */
    record Look(String what, boolean exists, String content) {}

    /** One small command that looks at the port or path. */
    record WaitFact(WaitArgs a) implements Fact<Look> {
        @Override
        public String key() {
            return "wait:" + (a.port() != null ? a.host() + ":" + a.port() + ":" + a.state() : a.path() + (a.regex() != null ? ":regex" : ""));
        }

        @Override
        public String script() {
            if (a.port() != null && a.state().equals("drained")) {
                return "ss -Htn state established '( sport = :" + a.port() + " )' 2>/dev/null | wc -l";
            }
            if (a.port() != null) {
                String target = Sh.q("/dev/tcp/" + a.host() + "/" + a.port());
                return "if command -v bash >/dev/null 2>&1; then timeout " + a.connectTimeout() + " bash -c 'exec 3<>'" + target
                        + " 2>/dev/null && echo open || echo closed; else nc -z -w " + a.connectTimeout() + " " + Sh.q(a.host()) + " " + a.port()
                        + " 2>/dev/null && echo open || echo closed; fi";
            }
            String p = Sh.q(a.path());
            String kind = "if [ -d " + p + " ]; then echo directory; else echo file; fi";
            if (a.regex() == null) return "if [ -e " + p + " ]; then " + kind + "; else echo no; fi";
            return "if [ -e " + p + " ]; then " + kind + "; head -c " + Slurp.MAX_BYTES + " " + p + " 2>/dev/null; else echo no; fi";
        }

        @Override
        public Look parse(FactOutput out) {
            String text = out.text();
            int nl = text.indexOf('\n');
            String head = (nl < 0 ? text : text.substring(0, nl)).strip();
            if (a.port() != null) return new Look(head, false, null);
            return new Look(head.equals("no") ? null : head, !head.equals("no"), nl < 0 ? "" : text.substring(nl + 1));
        }
    }

    @Override
    public String name() {
        return "wait_for";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public WaitArgs bind(Args a) throws ArgException {
        String state = a.str("state");
        Integer port = a.integer("port");
        String path = a.str("path");
        if (state.equals("stopped") && port == null) throw new ArgException("state", "state=stopped should only be used for checking a port in the wait_for module");
        if (state.equals("drained") && port == null) throw new ArgException("state", "state=drained should only be used for checking a port in the wait_for module");
        if ((state.equals("present") || state.equals("absent")) && port != null) throw new ArgException("state", "state=" + state + " is for a path; a port is started, stopped or drained");
        Pattern regex = null;
        if (a.str("search_regex") != null) {
            if (port != null) throw new ArgException("search_regex", "search_regex on a port (reading its banner) is not supported by moat; wait for the port, then check with a command");
            try {
                regex = Pattern.compile(a.str("search_regex").replace("(?P<", "(?<"), Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                throw new ArgException("search_regex", "search_regex: " + e.getDescription());
            }
        }
        return new WaitArgs(a.str("host"), port, path, regex, state, a.integer("timeout"), a.integer("delay"), a.integer("sleep"),
                a.integer("connect_timeout"), a.str("msg"));
    }

    @Override
    public List<Fact<?>> reads(WaitArgs args) {
        return args.port() == null && args.path() == null ? List.of() : List.of(new WaitFact(args));
    }

    /** With neither port nor path, the wait is the whole {@code timeout}, as in Ansible. */
    @Override
    public double delay(WaitArgs args) {
        return args.port() == null && args.path() == null ? args.delay() + args.timeout() : args.delay();
    }

    @Override
    public Plan plan(WaitArgs a, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("state", a.state());
        result.put("port", a.port());
        result.put("search_regex", a.regex() == null ? null : a.regex().pattern());
        result.put("match_groups", List.of());
        result.put("match_groupdict", Map.of());
        result.put("path", a.path());
        if (a.port() == null && a.path() == null) return Plan.converged().withResult(result);
        Look look = facts.get(new WaitFact(a));
        if (!reached(a, look, result)) throw new NotYet(a.msg() != null ? a.msg() : timeoutMessage(a), a.sleep(), a.timeout());
        // Ansible's exit_json describes an existing path: its state is then the path's kind.
        if (a.path() != null && look.exists()) result.put("state", look.what());
        return Plan.converged().withResult(result);
    }

    /** Whether the look shows the state waited for; a regex's groups go into {@code result}. */
    static boolean reached(WaitArgs a, Look look, Map<String, Object> result) {
        if (a.port() != null) {
            if (a.state().equals("drained")) return look.what().strip().equals("0");
            return look.what().equals(a.state().equals("stopped") ? "closed" : "open");
        }
        if (a.state().equals("absent")) return !look.exists();
        if (!look.exists()) return false;
        if (a.regex() == null) return true;
        Matcher m = a.regex().matcher(look.content());
        if (!m.find()) return false;
        List<Object> groups = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) groups.add(m.group(i));
        result.put("match_groups", groups);
        Map<String, Object> named = new LinkedHashMap<>();
        Matcher names = Pattern.compile("\\(\\?P?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(a.regex().pattern());
        while (names.find()) named.put(names.group(1), m.group(names.group(1)));
        result.put("match_groupdict", named);
        return true;
    }

    static String timeoutMessage(WaitArgs a) {
        if (a.port() != null) {
            return switch (a.state()) {
                case "stopped" -> "Timeout when waiting for " + a.host() + ":" + a.port() + " to stop.";
                case "drained" -> "Timeout when waiting for " + a.host() + ":" + a.port() + " to drain";
                default -> "Timeout when waiting for " + a.host() + ":" + a.port();
            };
        }
        if (a.state().equals("absent")) return "Timeout when waiting for " + a.path() + " to be absent.";
        if (a.regex() != null) return "Timeout when waiting for search string " + a.regex().pattern() + " in " + a.path();
        return "Timeout when waiting for file " + a.path();
    }
}
