package dev.moat.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.MoatException;
import dev.moat.yaml.Mark;

/**
 * An executable inventory script, run as Ansible's {@code script} plugin runs it: {@code SCRIPT
 * --list} prints a JSON object of groups,
 *
 * <pre>
 * {"gpu": {"hosts": ["g1", "g2"], "vars": {"ansible_user": "ops"}, "children": ["eu"]},
 *  "web": ["w1"],                                   // a bare list is the group's hosts
 *  "_meta": {"hostvars": {"g1": {"ansible_port": 2222}}}}
 * </pre>
 *
 * and when there is no {@code _meta.hostvars}, {@code SCRIPT --host HOST} is asked once per host.
 * This is the one program moat runs on the controller for an inventory, and only because the
 * user named it as one. A script that exits non-zero, runs longer than
 * {@value #TIMEOUT_SECONDS} s, or prints something other than a JSON object is an error naming
 * the script and quoting its stderr (exit 65).
 */
final class InventoryScript {
    static final int TIMEOUT_SECONDS = 60;
    /** The limit in force (tests shorten it). */
    static int timeoutSeconds = TIMEOUT_SECONDS;

    private InventoryScript() {}

    static void parse(InventoryGraph graph, Path script) {
        Mark at = new Mark(script, 0, 0);
        Map<String, Object> data = object(run(script, "--list"), script, "--list");
        Set<String> hosts = new LinkedHashSet<>();
        Object hostvars = null;
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (e.getKey().equals("_meta")) {
                if (e.getValue() instanceof Map<?, ?> meta && meta.containsKey("hostvars")) hostvars = meta.get("hostvars");
            } else {
                group(graph, e.getKey(), e.getValue(), hosts, script, at);
            }
        }
        for (String h : hosts) {
            Object vars;
            if (hostvars == null) {
                String out = run(script, "--host", h);
                vars = out.isBlank() ? Map.of() : object(out, script, "--host " + h);
            } else if (hostvars instanceof Map<?, ?> hv) {
                vars = hv.containsKey(h) ? hv.get(h) : Map.of();
            } else {
                throw bad(script, "--list", "_meta.hostvars must be an object of host names to variables");
            }
            if (!(vars instanceof Map<?, ?> m)) throw bad(script, "--list", "the variables of host " + h + " must be an object");
            InventoryGraph.H host = graph.host(h, null, at);
            m.forEach((k, v) -> host.vars.put(String.valueOf(k), v));
        }
    }

    /** Ansible's script plugin _parse_group. */
    private static void group(InventoryGraph graph, String name, Object value, Set<String> hosts, Path script, Mark at) {
        InventoryGraph.G g = graph.group(name, at);
        Map<?, ?> data;
        if (!(value instanceof Map<?, ?> m)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("hosts", value);
            data = d;
        } else if (!m.containsKey("hosts") && !m.containsKey("vars") && !m.containsKey("children")) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("hosts", List.of(name));
            d.put("vars", m);
            data = d;
        } else {
            data = m;
        }
        if (data.containsKey("hosts")) {
            if (!(data.get("hosts") instanceof List<?> list)) {
                throw bad(script, "--list", "group '" + name + "' has bad data for its host list (it must be a list of names): " + data);
            }
            for (Object h : list) {
                String hn = String.valueOf(h);
                hosts.add(hn);
                graph.addHost(g, graph.host(hn, null, at));
            }
        }
        if (data.containsKey("vars")) {
            if (!(data.get("vars") instanceof Map<?, ?> vars)) {
                throw bad(script, "--list", "group '" + name + "' has bad data for its variables (they must be an object): " + data);
            }
            vars.forEach((k, v) -> graph.setGroupVar(g, String.valueOf(k), v, at));
        }
        if (data.containsKey("children")) {
            Object children = data.get("children");
            if (!(children instanceof List<?> cl)) throw bad(script, "--list", "group '" + name + "' has children that are not a list");
            for (Object c : cl) graph.addChild(g, graph.group(String.valueOf(c), at), at);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json, Path script, String args) {
        Object v;
        try {
            v = new ObjectMapper().readValue(json, Object.class);
        } catch (IOException e) {
            throw bad(script, args, "its output is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (!(v instanceof Map<?, ?>)) throw bad(script, args, "its output must be a JSON object");
        return (Map<String, Object>) v;
    }

    /** Runs the script with {@code args}; its stdout, or an error with its exit code and stderr. */
    private static String run(Path script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        String shown = String.join(" ", cmd);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw MoatException.invalid("inventory script " + shown + " could not be started: " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw MoatException.invalid("inventory script " + shown + " did not finish within " + timeoutSeconds + " s; it was stopped");
            }
            String stderr = err.get().strip();
            if (p.exitValue() != 0) {
                throw MoatException.invalid("inventory script " + shown + " exited " + p.exitValue()
                        + (stderr.isEmpty() ? " and printed nothing on stderr" : ": " + shorten(stderr)));
            }
            return out.get();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MoatException(dev.moat.ExitCode.INTERRUPTED, "interrupted while running inventory script " + shown);
        } catch (java.util.concurrent.ExecutionException e) {
            throw MoatException.invalid("inventory script " + shown + ": cannot read its output: " + e.getCause());
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String shorten(String s) {
        return s.length() > 500 ? s.substring(0, 500) + " ..." : s;
    }

    private static MoatException bad(Path script, String args, String message) {
        return MoatException.invalid("inventory script " + script + " " + args + ": " + message);
    }
}
