package dev.moat.repl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Module;
import dev.moat.module.Spec;

/** The shell's help: its commands, and each module's arguments as its {@link Spec} declares them. */
final class Help {
    /** The shell's own commands with what they do, in the order {@code :help} lists them. */
    static final Map<String, String> COMMANDS = orderedCommands();

    private Help() {}

    private static Map<String, String> orderedCommands() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(":check", "on|off   check mode: show what would change, change nothing");
        m.put(":diff", "on|off    show diffs of changes (default on)");
        m.put(":facts", "          OS, package manager, Docker/Compose, GPUs, listening sockets, UFW");
        m.put(":play", "FILE      run a playbook on this host only");
        m.put(":drift", "FILE     check a playbook against this host, with diffs");
        m.put(":undo", "           undo the last change made in this shell");
        m.put(":history", "        the commands of this session and what they did");
        m.put(":help", "[MODULE]   these commands, or a module's arguments");
        m.put(":quit", "           leave the shell (or Ctrl-D)");
        return java.util.Collections.unmodifiableMap(m);
    }

    static String overview(Map<String, Module<?>> modules) {
        StringBuilder s = new StringBuilder();
        s.append("MODULE key=value ...     run a module, e.g. copy dest=/etc/motd content=\"hi\"\n");
        s.append("MODULE {key: value, ...} the same with YAML flow arguments\n");
        s.append("!COMMAND                 run a shell command on the host\n");
        for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
            String rest = e.getValue();
            int sp = rest.indexOf("  ");
            String args = sp < 0 ? "" : rest.substring(0, sp).strip();
            String what = sp < 0 ? rest : rest.substring(sp).strip();
            s.append(String.format("%-24s %s%n", e.getKey() + (args.isEmpty() ? "" : " " + args), what));
        }
        s.append("modules: ").append(String.join(", ", modules.keySet())).append(" (:help MODULE for its arguments)");
        return s.toString();
    }

    /** One line per argument: name (aliases), type, required or default, choices; then the rules between them. */
    static String module(String name, Spec spec) {
        List<String> lines = new ArrayList<>();
        lines.add(name + " arguments:");
        int w = 4;
        for (ArgSpec a : spec.args()) w = Math.max(w, label(a).length());
        for (ArgSpec a : spec.args()) {
            StringBuilder l = new StringBuilder(String.format("  %-" + w + "s  %-6s", label(a), type(a.type())));
            if (a.required()) l.append("  required");
            else if (a.defaultValue() != null) l.append("  default ").append(a.defaultValue());
            if (!a.choices().isEmpty()) l.append("  one of ").append(String.join("|", a.choices()));
            if (a.secret()) l.append("  (secret: never shown)");
            if (a.name().equals(spec.freeForm())) l.append("  (free form: the bare text)");
            lines.add(l.toString().stripTrailing());
        }
        for (List<String> g : spec.exclusive()) lines.add("  at most one of: " + String.join(", ", g));
        for (List<String> g : spec.oneOf()) lines.add("  exactly one of: " + String.join(", ", g));
        return String.join("\n", lines);
    }

    private static String label(ArgSpec a) {
        return a.aliases().isEmpty() ? a.name() : a.name() + " (" + String.join(", ", a.aliases()) + ")";
    }

    private static String type(ArgType t) {
        switch (t) {
            case STRING: return "string";
            case INT: return "int";
            case BOOL: return "bool";
            case LIST: return "list";
            case MAP: return "map";
            case MODE: return "mode";
            default: return "any";
        }
    }
}
