package dev.moat.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.moat.template.Templar;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/**
 * Reads the keywords of an {@link Execution} from a play, role entry, block or task, checking each
 * where it is written: a boolean keyword is a literal boolean or a template (rendered per host when
 * the task runs); {@code become_method} is {@code sudo}, the one way moat becomes another user;
 * {@code environment} is a mapping, a list of them, or a template giving one.
 */
final class ExecutionKeys {
    private ExecutionKeys() {}

    /** The boolean keywords that may be templates, rendered per host at run time. */
    static final Set<String> FLAGS = Set.of("ignore_errors", "no_log", "become", "check_mode", "diff", "run_once",
            "any_errors_fatal");

    /**
     * A boolean keyword: null when absent, a {@link Boolean} for a literal, the template text for
     * {@code "{{ ... }}"}; anything else is an error naming the keyword's place.
     */
    static Object flag(MapNode m, String key) {
        if (!m.has(key)) return null;
        if (m.get(key) instanceof ScalarNode s && s.value() instanceof String text && Templar.isTemplate(text)) {
            Nodes.checkTemplate(s, key);
            return text;
        }
        return Nodes.bool(m, key);
    }

    /** A boolean keyword's literal value, or null when absent or a template ({@link #flag} has it). */
    static Boolean literal(MapNode m, String key) {
        return flag(m, key) instanceof Boolean b ? b : null;
    }

    /**
     * {@code environment:} as written: null when absent; otherwise its layers (a mapping whose
     * values may hold templates, or a template that gives a mapping), in order.
     */
    static List<Object> environment(MapNode m) {
        if (!m.has("environment")) return null;
        Node n = m.get("environment");
        List<Object> out = new ArrayList<>();
        List<Node> items = n instanceof ListNode l ? l.items() : java.util.Collections.singletonList(n);
        for (Node i : items) {
            if (i == null) continue;
            if (i instanceof MapNode env) {
                for (String k : env.entries().keySet()) {
                    if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        throw new YamlException(env.keyMark(k), "environment: '" + k + "' is not a valid environment variable name");
                    }
                    Nodes.checkTemplates(env.get(k), "environment");
                }
                out.add(env.toPlain());
            } else if (i instanceof ScalarNode s && s.value() instanceof String text && Templar.isTemplate(text)) {
                Nodes.checkTemplate(s, "environment");
                out.add(text);
            } else {
                throw new YamlException(i.mark(), "environment: expected a mapping of variables ({http_proxy: ...}), or a template"
                        + " that gives one, not " + Nodes.kind(i));
            }
        }
        return out;
    }

    /**
     * Checks {@code become_method} and {@code become_flags}: moat becomes another user through sudo
     * only, with its own flags.
     */
    static void checkBecome(MapNode m) {
        String method = Nodes.string(m, "become_method");
        if (method != null && !method.equals("sudo") && !method.equals("ansible.builtin.sudo")) {
            throw new YamlException(Nodes.at(m, "become_method"), "become_method: " + method + " is not supported by moat,"
                    + " which becomes another user through sudo only (become_method: sudo, the default)");
        }
        if (m.has("become_flags") && m.get("become_flags") instanceof ScalarNode s && s.value() != null && !s.text().isBlank()) {
            throw new YamlException(Nodes.at(m, "become_flags"), "become_flags: '" + s.text() + "' is not supported by moat,"
                    + " which runs sudo with flags of its own (-n, -H, -u USER); remove become_flags");
        }
    }

    /** {@code throttle:} a whole number of hosts (0: no limit), or null when absent. */
    static Integer throttle(MapNode m) {
        if (!m.has("throttle")) return null;
        Node n = m.get("throttle");
        Object v = n instanceof ScalarNode s ? s.value() : null;
        if (v instanceof String text && text.strip().matches("\\d+")) v = Integer.parseInt(text.strip());
        if (v instanceof Integer i && i >= 0) return i;
        throw new YamlException(Nodes.at(m, "throttle"), "throttle: expected a whole number of hosts (0: no limit), not "
                + (v == null ? Nodes.kind(n) : "'" + v + "'") + (v instanceof String t && Templar.isTemplate(t) ? " (moat takes a literal here)" : ""));
    }

    /**
     * {@code remote_user:} of a task, block or role entry: a user name or a template (rendered per
     * host when the task runs), or null when absent.
     */
    static String remoteUser(MapNode m) {
        if (!m.has("remote_user")) return null;
        Node n = m.get("remote_user");
        if (n instanceof ScalarNode s && s.value() instanceof String text && !text.isBlank()) {
            if (Templar.isTemplate(text)) {
                Nodes.checkTemplate(s, "remote_user");
                return text;
            }
            if (text.strip().matches("[A-Za-z0-9_.][A-Za-z0-9_.@-]*")) return text.strip();
        }
        throw new YamlException(Nodes.at(m, "remote_user"), "remote_user: expected a user name to log in as, not "
                + (n instanceof ScalarNode s && s.value() != null ? "'" + s.value() + "'" : Nodes.kind(n)));
    }

    /** {@code collections:} the collections short module names are looked up in first, or null when absent. */
    static List<String> collections(MapNode m) {
        if (!m.has("collections")) return null;
        List<String> out = Nodes.strings(m, "collections", false);
        for (int i = 0; i < out.size(); i++) {
            String c = out.get(i);
            if (!c.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+")) {
                Node n = m.get("collections");
                throw new YamlException(n instanceof ListNode l ? l.items().get(i).mark() : n.mark(),
                        "collections: '" + c + "' is not a collection name (namespace.name, such as community.general)");
            }
        }
        return out;
    }

    /**
     * Where {@code m} (a play, block or task) runs its tasks instead of their host: {@code localhost}
     * for {@code delegate_to: localhost} or a play's {@code connection: local}; another inventory
     * host by name, or a template, checked when a host renders it; null when not said. A connection
     * other than {@code ssh}/{@code local} is refused by name.
     */
    static String delegateTo(MapNode m) {
        String connection = Nodes.string(m, "connection");
        if (connection != null && !Set.of("ssh", "smart", "local", "ansible.builtin.ssh", "ansible.builtin.local").contains(connection)) {
            throw new YamlException(Nodes.at(m, "connection"), "connection: " + connection + " is not supported by moat (it connects with ssh, or local)");
        }
        String to = Nodes.string(m, "delegate_to");
        if (to != null && to.isBlank()) throw new YamlException(Nodes.at(m, "delegate_to"), "delegate_to: expected a host name, not nothing");
        if (to != null) return to.strip();
        return connection != null && connection.endsWith("local") ? "localhost" : null;
    }

    /**
     * {@code async:} and {@code poll:} of a task: whole numbers of seconds (Ansible's poll defaults to
     * 15); {@code [async, poll]}, or null when the task has no {@code async}.
     */
    static int[] async(MapNode m) {
        Integer async = seconds(m, "async");
        Integer poll = seconds(m, "poll");
        if (async == null || async == 0) {
            return null; // Ansible ignores poll without async, and async: 0 runs the task as usual
        }
        return new int[] {async, poll == null ? Execution.DEFAULT_POLL : poll};
    }

    private static Integer seconds(MapNode m, String key) {
        if (!m.has(key)) return null;
        Node n = m.get(key);
        Object v = n instanceof ScalarNode s ? s.value() : null;
        if (v instanceof String text && text.strip().matches("\\d+")) v = Integer.parseInt(text.strip());
        if (v instanceof Integer i && i >= 0) return i;
        throw new YamlException(Nodes.at(m, key), key + ": expected a whole number of seconds, not "
                + (v == null ? Nodes.kind(n) : "'" + v + "'") + (v instanceof String t && Templar.isTemplate(t) ? " (moat takes a literal here)" : ""));
    }
}
