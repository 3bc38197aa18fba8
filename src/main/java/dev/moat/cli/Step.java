package dev.moat.cli;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

import dev.moat.engine.TaskGate;
import dev.moat.playbook.Actions;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;

/**
 * {@code --step}: before each task, ask as ansible-playbook does, {@code Perform task: TASK: NAME
 * (N)o/(y)es/(c)ontinue: }. {@code y} runs it, {@code c} runs it and stops asking, anything else
 * (Enter included) skips it. One answer per task for every host (the first host to reach a task
 * asks; the others wait for the answer), as with Ansible's linear strategy; {@code meta} tasks are
 * not asked about, as in Ansible.
 */
final class Step implements TaskGate {
    private final Terminal terminal;
    private final Map<TaskItem, Boolean> answers = new IdentityHashMap<>();
    private boolean asking = true;

    Step(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public synchronized boolean admits(TaskItem item) {
        // an answer given stands for every host, even one that reaches the task after a later 'c'
        Boolean known = answers.get(item);
        if (known != null) return known;
        if (!asking || item instanceof Task t && Actions.META.equals(t.module())) return true;
        String a = terminal.readLine("Perform task: TASK: " + StartAt.fullName(item) + " (N)o/(y)es/(c)ontinue: ");
        String answer = a == null ? "" : a.strip().toLowerCase(Locale.ROOT);
        boolean run = answer.equals("y") || answer.equals("yes") || answer.equals("c") || answer.equals("continue");
        if (answer.equals("c") || answer.equals("continue")) asking = false;
        answers.put(item, run);
        return run;
    }
}
