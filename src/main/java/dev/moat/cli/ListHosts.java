package dev.moat.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.moat.playbook.Play;

/** {@code --list-hosts}: each play's pattern and hosts, in ansible-playbook's exact layout. */
final class ListHosts {
    private ListHosts() {}

    static String render(Path playbook, Map<Play, List<String>> hosts) {
        StringBuilder b = new StringBuilder("\nplaybook: ").append(playbook).append("\n");
        int n = 0;
        for (Map.Entry<Play, List<String>> e : hosts.entrySet()) {
            Play p = e.getKey();
            String name = p.name() == null || p.name().isEmpty() ? p.hosts() : p.name();
            b.append("\n  play #").append(++n).append(" (").append(p.hosts()).append("): ").append(name)
                    .append("\tTAGS: [").append(String.join(", ", p.tags())).append("]\n");
            b.append("    pattern: ['").append(p.hosts()).append("']\n");
            b.append("    hosts (").append(e.getValue().size()).append("):\n");
            for (String h : e.getValue()) b.append("      ").append(h).append("\n");
        }
        return b.toString();
    }
}
