package dev.moat.transport.ssh;

import dev.moat.transport.Sh;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Builds the command lines sent to sshd. The script runs under the host's {@code timeout} (when it
 * has one) set a second past moat's own deadline: sshd cannot always deliver a signal, and a
 * command moat gave up on must not keep running, nor hold one of the connection's sessions.
 * The script itself travels on stdin ({@link #payload}), never on the command line.
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

    /** {@code sh -c 'RUN'}: the script follows on stdin ({@link #payload}). */
    static String plain(long timeoutSeconds) {
        return "sh -c " + Sh.q(runner(timeoutSeconds));
    }

    /** {@code sudo -n} (no password) or {@code sudo -S} with the prompt, then the marker, then the runner. */
    String line(String user, boolean withPassword, long timeoutSeconds) {
        String head = withPassword ? "sudo -S -p " + Sh.q(prompt) : "sudo -n";
        return head + " -u " + Sh.q(user) + " -H -- sh -c " + Sh.q("echo " + marker + "; " + runner(timeoutSeconds));
    }

    /**
     * What the runner reads on stdin: the script's length in bytes on a line, the script, then the
     * command's own stdin. The script never appears on a command line (where {@code ps} and sudo's
     * log would show it, and where the kernel caps one argument at 128 KiB).
     */
    static byte[] payload(String script, byte[] stdin) {
        byte[] body = script.getBytes(StandardCharsets.UTF_8);
        byte[] head = (body.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + body.length + stdin.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        System.arraycopy(stdin, 0, out, head.length + body.length, stdin.length);
        return out;
    }

    /**
     * Reads the length line ({@code read} takes one byte at a time), then exactly that many bytes
     * of script ({@code head -c} never reads past its count), and runs the script from a pipe on
     * fd 3 with the rest of stdin as its own stdin.
     */
    static String runner(long timeoutSeconds) {
        long t = timeoutSeconds + 1;
        return "IFS= read -r n || exit 125; case $n in ''|*[!0-9]*) echo 'moat: no script on stdin' >&2; exit 125;; esac; "
                + "exec 4<&0; s=$(head -c \"$n\"; echo .); s=${s%.}; "
                + "printf '%s' \"$s\" | { exec 3<&0 0<&4 4<&-; "
                + "if command -v timeout >/dev/null 2>&1; then exec timeout -k 5 " + t + " sh /dev/fd/3; fi; exec sh /dev/fd/3; }";
    }
}
