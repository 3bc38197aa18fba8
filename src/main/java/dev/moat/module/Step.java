package dev.moat.module;

import java.nio.charset.StandardCharsets;

/**
 * One shell script that changes the host, with optional stdin (file contents). The engine runs a
 * plan's steps in order; a non-zero exit fails the task with the step's stderr.
 * {@code sensitive} keeps the script and its stdin out of logs (it may carry a password hash).
 */
public record Step(String describe, String script, byte[] stdin, boolean sensitive) {
    public Step {
        if (stdin == null) stdin = new byte[0];
    }

    public static Step run(String describe, String script) {
        return new Step(describe, script, null, false);
    }

    public static Step write(String describe, String script, String content) {
        return new Step(describe, script, content.getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public String toString() {
        return sensitive ? describe + " (sensitive)" : describe + ": " + script;
    }
}
