package dev.moat.module;

import java.nio.charset.StandardCharsets;

/**
 * One shell script that changes the host, with optional stdin (file contents). The engine runs a
 * plan's steps in order; a non-zero exit fails the task with the step's stderr.
 * {@code sensitive} keeps the script and its stdin out of logs (it may carry a password hash).
 * {@code fetch}, when set, makes it a step that changes the controller instead: the script prints
 * a host file in base64 and the engine writes the decoded bytes to a controller path ({@code fetch}).
 */
public record Step(String describe, String script, byte[] stdin, boolean sensitive, ToController fetch) {
    public Step {
        if (stdin == null) stdin = new byte[0];
    }

    public Step(String describe, String script, byte[] stdin, boolean sensitive) {
        this(describe, script, stdin, sensitive, null);
    }

    /**
     * Where a fetched file goes on the controller, and the SHA-1 its bytes must have (null: not
     * checked). The engine writes it through a temporary file and a rename, making its directories.
     */
    public record ToController(java.nio.file.Path dest, String sha1) {}

    /** A step that prints the host file {@code script} reads in base64 and writes it to the controller. */
    public static Step fetch(String describe, String script, ToController to) {
        return new Step(describe, script, null, false, to);
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
