package dev.moat.cli;

import java.io.Console;

/**
 * The user's terminal, where {@code --step} and {@code vars_prompt} ask (tests give a fake).
 * {@link #system()} is null when moat's input is not a terminal, so nothing can be asked.
 */
interface Terminal {
    /** One line typed after {@code prompt}; null at end of input. */
    String readLine(String prompt);

    /** One line typed after {@code prompt} without echo; null at end of input. */
    char[] readSecret(String prompt);

    /** A line for the user (a mismatch warning, say). */
    void say(String line);

    /** The console, or null without one. */
    static Terminal system() {
        Console c = System.console();
        if (c == null) return null;
        return new Terminal() {
            @Override
            public String readLine(String prompt) {
                return c.readLine("%s", prompt);
            }

            @Override
            public char[] readSecret(String prompt) {
                return c.readPassword("%s", prompt);
            }

            @Override
            public void say(String line) {
                c.printf("%s%n", line);
                c.flush();
            }
        };
    }
}
