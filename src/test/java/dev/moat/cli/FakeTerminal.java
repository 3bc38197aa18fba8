package dev.moat.cli;

import java.util.ArrayList;
import java.util.List;

/** A terminal for tests: answers from a list (then end of input) and logs each question, and how it was asked. */
final class FakeTerminal implements Terminal {
    final List<String> log = new ArrayList<>();
    private final List<String> answers;

    FakeTerminal(String... answers) {
        this.answers = new ArrayList<>(List.of(answers));
    }

    @Override
    public synchronized String readLine(String prompt) {
        log.add("line " + prompt);
        return answers.isEmpty() ? null : answers.remove(0);
    }

    @Override
    public synchronized char[] readSecret(String prompt) {
        log.add("secret " + prompt);
        return answers.isEmpty() ? null : answers.remove(0).toCharArray();
    }

    @Override
    public synchronized void say(String line) {
        log.add("say " + line);
    }
}
