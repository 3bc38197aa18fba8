package dev.moat.engine;

import java.util.Map;
import java.util.Set;

import dev.moat.module.Module;
import dev.moat.module.ReadOnlyRun;
import dev.moat.playbook.Task;

/**
 * Which tasks run their program inside the play's batched read ({@link ReadOnlyRun}): a
 * {@code command} or {@code shell} task that says {@code check_mode: false} and
 * {@code changed_when: false} (both literally), runs once (no loop, {@code until}, {@code async},
 * {@code run_once} or {@code delegate_to}) and shows what it runs ({@code no_log} and secrets keep
 * a program out of the read, which {@code MOAT_READ_DUMP} may write down). Such a task is read-only
 * by its own declaration, so a check run that has no other real change takes no lock for it.
 */
final class CommandReads {
    /** The modules whose tasks may be declared read-only; {@link CheckMode#changesHosts} needs them by name. */
    static final Set<String> MODULES = Set.of("command", "shell");

    private CommandReads() {}

    /** Whether {@code t} declares its program read-only: it runs even in check mode and never reports a change. */
    static boolean declared(Task t) {
        return MODULES.contains(t.module()) && Boolean.FALSE.equals(t.checkMode()) && t.execution().template("check_mode") == null
                && t.changedWhen().size() == 1 && t.changedWhen().get(0).equalsIgnoreCase("false");
    }

    /** Whether {@code t}'s program may run in the read, ahead of the task: declared read-only, run once, shown. */
    static boolean foldable(Task t) {
        return declared(t) && t.loop() == null && t.polling().until().isEmpty() && t.polling().retries() == null
                && t.execution().async() == 0 && !t.execution().runOnce() && t.execution().delegateTo() == null && !t.noLog();
    }

    /** The read that runs {@code t}'s program ({@code bound}: its arguments), or null when it cannot be one. */
    @SuppressWarnings("unchecked")
    static <A> ReadOnlyRun.Run of(Module<A> m, Task t, Object bound, Map<String, String> environment, boolean hidden) {
        if (hidden || !foldable(t) || !(m instanceof ReadOnlyRun<?>)) return null;
        return ((ReadOnlyRun<A>) m).asRead((A) bound, ChangeApplier.exports(environment));
    }
}
