package dev.moat.transport.ssh;

import dev.moat.transport.Sh;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Builds the command lines sent to sshd. The script runs under the host's {@code timeout} (when it
 * has one) set a second past moat's own deadline: sshd cannot always deliver a signal, and a
 * command moat gave up on must not keep running, nor hold one of the connection's sessions.
 * For {@code become} the shell under sudo first prints a random marker line, so moat knows when
 * sudo has let the command start (and can tell sudo's own failures from the command's); with a
 * become password sudo prompts with a random prompt on stderr and moat answers only when asked,
 * so the password never reaches the command's stdin.
 */
final class Sudo {
    final String marker;
    final String prompt;

    Sudo() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        marker = "MOAT-BECOME-" + id;
        prompt = "[moat-sudo-" + id + "]";
    }

    /** {@code sh -c 'RUN' sh SCRIPT}: the script as {@code $1}, so it is quoted only once. */
    static String plain(String script, long timeoutSeconds) {
        return "sh -c " + Sh.q(runner(timeoutSeconds)) + " sh " + Sh.q(script);
    }

    /** {@code sudo -n} (no password) or {@code sudo -S} with the prompt, then the marker, then the script. */
    String line(String script, String user, boolean withPassword, long timeoutSeconds) {
        String head = withPassword ? "sudo -S -p " + Sh.q(prompt) : "sudo -n";
        return head + " -u " + Sh.q(user) + " -H -- sh -c " + Sh.q("echo " + marker + "; " + runner(timeoutSeconds))
                + " sh " + Sh.q(script);
    }

    private static String runner(long timeoutSeconds) {
        long t = timeoutSeconds + 1;
        return "if command -v timeout >/dev/null 2>&1; then exec timeout -k 5 " + t + " sh -c \"$1\"; fi; exec sh -c \"$1\"";
    }
}
