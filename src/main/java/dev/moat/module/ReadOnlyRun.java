package dev.moat.module;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A module that runs a program ({@code command}, {@code shell}) which a task may declare
 * read-only: {@code check_mode: false} together with {@code changed_when: false}, Ansible's idiom
 * for a command that only looks and must run even in check mode. The engine then runs the
 * program inside the play's batched read, as one more fact, and takes the task's result
 * ({@code rc}, {@code stdout}, {@code stderr}) from that output when the host reaches the task and
 * nothing changed on the host since; otherwise the task runs the program itself, as any command.
 *
 * <pre>
 * - shell: ss -Htlnp | awk '/"sshd"/ {print $4}'
 *   register: sshd_listen
 *   changed_when: false
 *   check_mode: false
 * </pre>
 */
public interface ReadOnlyRun<A> {
    /**
     * The program of {@code args} as a read, run after {@code exports} (the task's environment), or
     * null when it cannot be one: it reads stdin, or {@code creates}/{@code removes} decide whether it runs.
     */
    Run asRead(A args, String exports);

    /**
     * One program run as a fact: its exit status is data, its output the task's. The key is of kind
     * {@link FactKeys#HOST}, so any change on the host makes it stale and the task runs the program again.
     *
     * @param shown how the task names the program in a failure ({@code shell: ss -Htlnp ...})
     */
    record Run(String key, String script, String shown) implements Fact<FactOutput> {
        public Run {
            if (key == null || !key.startsWith(FactKeys.HOST) || script == null || shown == null) {
                throw new IllegalArgumentException("a host: key, a script and a name are required");
            }
        }

        /**
         * The run of {@code script}, keyed by what it runs. It starts by unsetting what the batched read
         * sets for its own snippets ({@code LC_ALL=C}, its temporary directory {@code T}), so the program
         * sees the environment a step of its own would.
         */
        public static Run of(String script, String shown) {
            script = "unset LC_ALL T moat_memo\n" + script;
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
                return new Run(FactKeys.HOST + "run:" + HexFormat.of().formatHex(d, 0, 12), script, shown);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public FactOutput parse(FactOutput out) {
            return out;
        }
    }
}
