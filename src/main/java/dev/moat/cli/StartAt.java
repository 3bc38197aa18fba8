package dev.moat.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.moat.MoatException;
import dev.moat.engine.TaskGate;
import dev.moat.playbook.Block;
import dev.moat.playbook.Include;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;

/**
 * {@code --start-at-task NAME}, as Ansible's play iterator reads it: the first task, in the order a
 * host would reach it (a block's tasks, then its always; not its rescue), whose name or
 * {@code role : name} equals NAME or matches it as a shell glob ({@code fnmatch}), is where the run
 * starts. The plays before it run no task, the tasks before it in its play are skipped, and the
 * plays after it run whole. Like Ansible it looks into imports and roles but not into dynamic
 * includes (an {@code include_tasks} can be the task started at). Unlike Ansible, which runs the
 * playbook and then reports that nothing matched, a name that matches no task is refused before
 * any host is touched (exit 64).
 *
 * @param play    the index of the play holding the task
 * @param skipped the tasks and includes of that play before it (by identity)
 */
record StartAt(int play, Set<TaskItem> skipped) implements TaskGate {
    static StartAt find(Playbook playbook, String name) {
        Pattern glob = fnmatch(name);
        List<Play> plays = playbook.plays();
        for (int i = 0; i < plays.size(); i++) {
            List<TaskItem> order = new ArrayList<>();
            reached(plays.get(i).tasks(), order);
            for (int j = 0; j < order.size(); j++) {
                if (matches(order.get(j), name, glob)) {
                    Set<TaskItem> before = Collections.newSetFromMap(new IdentityHashMap<>());
                    before.addAll(order.subList(0, j));
                    return new StartAt(i, Collections.unmodifiableSet(before));
                }
            }
        }
        throw MoatException.usage("--start-at-task '" + name + "' matches no task of " + playbook.file()
                + " (names and 'role : name' are matched, globs allowed; tasks inside dynamic includes cannot be started at,"
                + " as in Ansible; --list-tasks shows the names)");
    }

    /** Whether play {@code index} runs at all: the plays before the one holding the task do not. */
    boolean runs(int index) {
        return index >= play;
    }

    @Override
    public boolean admits(TaskItem item) {
        return !skipped.contains(item);
    }

    private static void reached(List<TaskItem> items, List<TaskItem> out) {
        for (TaskItem i : items) {
            if (i instanceof Block b) {
                reached(b.block(), out);
                reached(b.always(), out);
            } else {
                out.add(i);
            }
        }
    }

    private static boolean matches(TaskItem i, String name, Pattern glob) {
        String own = i instanceof Task t ? t.name() : ((Include) i).name();
        String full = fullName(i);
        return name.equals(own) || (own != null && !own.isEmpty() && glob.matcher(own).matches())
                || name.equals(full) || glob.matcher(full).matches();
    }

    /** Ansible's {@code Task.get_name()}: {@code role : name}, the name, or the action of an unnamed task. */
    static String fullName(TaskItem i) {
        String own, action, role;
        if (i instanceof Task t) {
            own = t.name();
            action = t.module();
            role = t.role() == null ? null : t.role().name();
        } else {
            Include inc = (Include) i;
            own = inc.name();
            action = PlaybookListing.action(inc);
            role = inc.role() == null ? null : inc.role().name();
        }
        String shown = own != null && !own.isEmpty() ? own : action;
        return role == null ? shown : role + " : " + shown;
    }

    /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}; the rest literal. */
    static Pattern fnmatch(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                String set = glob.substring(i + 1, end);
                boolean not = set.startsWith("!");
                re.append(not ? "[^" : "[");
                for (char s : (not ? set.substring(1) : set).toCharArray()) {
                    if ("\\[]&^".indexOf(s) >= 0) re.append('\\');
                    re.append(s);
                }
                re.append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
