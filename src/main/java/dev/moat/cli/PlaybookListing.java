package dev.moat.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.moat.engine.RunOptions;
import dev.moat.playbook.Actions;
import dev.moat.playbook.Block;
import dev.moat.playbook.Include;
import dev.moat.playbook.Play;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;

/**
 * {@code --list-hosts}, {@code --list-tasks} and {@code --list-tags}, in ansible-playbook's layout
 * ({@code cli/playbook.py}): per play a header, its pattern and hosts, the tasks {@code --tags} and
 * {@code --skip-tags} select with their tags (a role's as {@code role : name}, an unnamed task by its
 * module, a dynamic include as itself; rescue, always and handlers are not listed), and the union of
 * the tags. Touches no host.
 *
 * <pre>
 *   play #1 (web): Web servers	TAGS: [play1]
 *     tasks:
 *       web : Install nginx	TAGS: [packages, play1, webrole]
 * </pre>
 */
final class PlaybookListing {
    /** Which of the three listings to print. */
    record What(boolean hosts, boolean tasks, boolean tags) {
        boolean any() {
            return hosts || tasks || tags;
        }
    }

    private PlaybookListing() {}

    static String render(Path playbook, Map<Play, List<String>> hosts, What what, RunOptions selection) {
        StringBuilder b = new StringBuilder("\nplaybook: ").append(playbook).append("\n");
        int n = 0;
        for (Map.Entry<Play, List<String>> e : hosts.entrySet()) {
            Play p = e.getKey();
            String name = p.name() == null || p.name().isEmpty() ? p.hosts() : p.name();
            b.append("\n  play #").append(++n).append(" (").append(p.hosts()).append("): ").append(name)
                    .append("\tTAGS: [").append(String.join(",", new LinkedHashSet<>(p.tags()))).append("]");
            if (what.hosts()) {
                b.append("\n    pattern: ['").append(p.hosts()).append("']");
                b.append("\n    hosts (").append(e.getValue().size()).append("):");
                for (String h : e.getValue()) b.append("\n      ").append(h);
            }
            b.append("\n");
            if (what.tasks() || what.tags()) b.append(tasks(p, what, selection));
        }
        return b.toString();
    }

    private static String tasks(Play p, What what, RunOptions selection) {
        StringBuilder b = new StringBuilder(what.tasks() ? "    tasks:\n" : "");
        Set<String> all = new TreeSet<>(p.tags());
        for (TaskItem i : listed(p.tasks(), selection)) {
            List<String> tags = i instanceof Task t ? t.tags() : ((Include) i).tags();
            all.addAll(tags);
            if (!what.tasks()) continue;
            Set<String> own = new TreeSet<>(p.tags());
            own.addAll(tags);
            b.append("      ").append(label(i)).append("\tTAGS: [").append(String.join(", ", own)).append("]\n");
        }
        if (what.tags()) b.append("      TASK TAGS: [").append(String.join(", ", all)).append("]\n");
        return b.toString();
    }

    /** The tasks and dynamic includes Ansible lists: the {@code block:} parts of blocks, in order, that the tags select. */
    static List<TaskItem> listed(List<TaskItem> items, RunOptions selection) {
        List<TaskItem> out = new ArrayList<>();
        for (TaskItem i : items) {
            if (i instanceof Block b) {
                out.addAll(listed(b.block(), selection));
            } else if (i instanceof Include inc) {
                if (selection.selects(new LinkedHashSet<>(inc.tags()))) out.add(inc);
            } else if (i instanceof Task t && !implicitFlush(t) && selection.selects(new LinkedHashSet<>(t.tags()))) {
                out.add(t);
            }
        }
        return out;
    }

    /** What a listing calls {@code i}: Ansible's {@code get_name()}, or the action of an unnamed task. */
    static String label(TaskItem i) {
        if (i instanceof Include inc) return named(inc.name(), inc.role() == null ? null : inc.role().name(), action(inc));
        Task t = (Task) i;
        return named(t.name(), t.role() == null ? null : t.role().name(), t.module());
    }

    /** {@code include_role} or {@code include_tasks}: a role's include loads as one block of that role. */
    static String action(Include inc) {
        return inc.body() != null && inc.body().size() == 1 && inc.body().get(0) instanceof Block b
                && b.role() != null && inc.file().equals(b.role().name()) ? "include_role" : "include_tasks";
    }

    private static String named(String name, String role, String action) {
        if (name == null || name.isBlank()) return action;
        return role == null ? name : role + " : " + name;
    }

    /**
     * The handler flush the loader adds between pre_tasks, roles and tasks, and post_tasks (Ansible's
     * implicit meta task, which it does not list): unnamed, tagged {@code always} alone, unconditional.
     */
    private static boolean implicitFlush(Task t) {
        return Actions.META.equals(t.module()) && t.name() == null && t.tags().equals(List.of("always")) && t.when().isEmpty()
                && "flush_handlers".equals(t.args().get("_raw_params"));
    }
}
