package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.facts.CommandFact;
import dev.moat.module.FactKeys;

/**
 * What an {@code apt-get} run would do, read with {@code apt-get -s} (simulate, no lock): the plan of
 * {@code apt: upgrade} and of {@code autoremove} without packages. Its lines are {@code Inst NAME [OLD]
 * (NEW ...)}, {@code Inst NAME (NEW ...)} for a new package, {@code Remv NAME [OLD]} or {@code Purg}. The
 * read's key is of kind {@code host:}, so any change (a repository added, a package installed) makes it stale.
 */
record AptSimulation(List<Change> changes) {
    /** One package the run would touch: {@code before} null when new, {@code after} null when removed. */
    record Change(String name, String before, String after) {
        String describe() {
            return name + " " + (before == null ? "absent" : before) + " -> " + (after == null ? "absent" : after);
        }
    }

    private static final Pattern LINE = Pattern.compile("^(Inst|Remv|Purg) (\\S+)(?: \\[([^\\]]*)\\])?(?: \\((\\S+)[^)]*\\))?");

    AptSimulation {
        changes = List.copyOf(changes);
    }

    /** The read for {@code apt-get ARGS} in simulation (ARGS is moat's own shell text, never a user's). */
    static CommandFact fact(String args) {
        return new CommandFact(FactKeys.HOST + "apt-simulate:" + args,
                "LC_ALL=C apt-get -s -q -o Debug::NoLocking=1 " + args + " 2>&1");
    }

    static AptSimulation parse(String out) {
        List<Change> l = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            boolean removed = !m.group(1).equals("Inst");
            l.add(new Change(m.group(2), m.group(3), removed ? null : m.group(4)));
        }
        return new AptSimulation(l);
    }

    List<String> fresh() {
        return changes.stream().filter(c -> c.before() == null).map(Change::name).toList();
    }

    List<String> replaced() {
        return changes.stream().filter(c -> c.before() != null).map(Change::describe).toList();
    }

    /** The before/after text of a packages diff. */
    String[] diff() {
        StringBuilder b = new StringBuilder();
        StringBuilder a = new StringBuilder();
        for (Change c : changes) {
            b.append(c.name()).append(' ').append(c.before() == null ? "absent" : c.before()).append('\n');
            a.append(c.name()).append(' ').append(c.after() == null ? "absent" : c.after()).append('\n');
        }
        return new String[] {b.toString(), a.toString()};
    }
}
