package dev.moat.repl;

import java.util.Map;

/**
 * One line typed at the shell, read: nothing, a module call, a {@code !} command for the host's
 * shell, or a {@code :} command of the shell itself.
 *
 * <pre>
 * copy dest=/etc/motd content="hi"          ModuleCall(copy, {dest: /etc/motd, content: hi})
 * ufw {rule: allow, port: 443, proto: tcp}   ModuleCall(ufw, {rule: allow, port: 443, proto: tcp})
 * command ls -l /tmp                         ModuleCall(command, "ls -l /tmp")   (free form)
 * !df -h                                     Bang(df -h)
 * :check on                                  Colon(check, on)
 * </pre>
 */
public sealed interface Line {
    /** A blank line or a {@code #} comment. */
    record Empty() implements Line {}

    /**
     * A module with its arguments: a mapping (from {@code key=value} pairs or YAML flow), or the raw
     * text for a free-form module ({@code command}, {@code shell}) or a name that is no module, which
     * the playbook loader then reads or rejects with its own message.
     */
    record ModuleCall(String module, Object args) implements Line {
        public ModuleCall {
            if (module == null || module.isBlank()) throw new IllegalArgumentException("module");
            if (!(args instanceof Map) && !(args instanceof String)) throw new IllegalArgumentException("args: a map or a string");
        }
    }

    /** {@code !COMMAND}: a shell command run on the host. */
    record Bang(String command) implements Line {
        public Bang {
            if (command == null || command.isBlank()) throw new IllegalArgumentException("command");
        }
    }

    /** {@code :NAME ARG}: a command of the shell; {@code arg} is the rest of the line, stripped ("" when none). */
    record Colon(String name, String arg) implements Line {
        public Colon {
            if (name == null) throw new IllegalArgumentException("name");
            arg = arg == null ? "" : arg;
        }
    }
}
