package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.facts.CommandFact;
import dev.moat.module.FactKeys;

/**
 * apt's one-line sources as Ansible's {@code apt_repository} models them: {@code /etc/apt/sources.list}
 * and every {@code /etc/apt/sources.list.d/*.list}, each line parsed into valid (starts with
 * {@code deb} or {@code deb-src}), enabled (not commented out), source (words joined by one space) and
 * comment (after a {@code #}). {@link #render} writes a file back the way Ansible does, so a file it
 * rewrites reads as Ansible's would. The read is of kind {@code host:}: any change makes it stale.
 */
final class AptSources {
    static final String LIST = "/etc/apt/sources.list";
    static final String PARTS = "/etc/apt/sources.list.d";

    /** One line of a sources file. */
    record Line(boolean valid, boolean enabled, String source, String comment) {}

    static final CommandFact FACT = new CommandFact(FactKeys.HOST + "apt-sources",
            "for f in " + LIST + " " + PARTS + "/*.list; do [ -f \"$f\" ] || continue; printf '@@file %s\\n' \"$f\"; sed 's/^/|/' \"$f\"; echo; done; :");

    /** The files in apt's order (sources.list first), path to lines. */
    static Map<String, List<Line>> parse(String out) {
        Map<String, List<Line>> files = new LinkedHashMap<>();
        List<Line> cur = null;
        for (String l : out.split("\n", -1)) {
            if (l.startsWith("@@file ")) {
                cur = new ArrayList<>();
                files.put(l.substring(7), cur);
            } else if (cur != null && l.startsWith("|")) {
                cur.add(line(l.substring(1)));
            }
        }
        return files;
    }

    /** Ansible's {@code SourcesList._parse}. */
    static Line line(String raw) {
        String line = raw.strip();
        boolean enabled = true;
        String comment = "";
        if (line.startsWith("#")) {
            enabled = false;
            line = line.substring(1);
        }
        int i = line.indexOf('#');
        if (i > 0) {
            comment = line.substring(i + 1).strip();
            line = line.substring(0, i);
        }
        String source = line.strip();
        boolean valid = false;
        if (!source.isEmpty()) {
            String[] chunks = source.split("\\s+");
            if (chunks[0].equals("deb") || chunks[0].equals("deb-src")) {
                valid = true;
                source = String.join(" ", chunks);
            }
        }
        return new Line(valid, enabled, source, comment);
    }

    static String render(List<Line> lines) {
        StringBuilder s = new StringBuilder();
        for (Line l : lines) {
            if (!l.enabled()) s.append("# ");
            s.append(l.source());
            if (!l.comment().isEmpty()) s.append(" # ").append(l.comment());
            s.append('\n');
        }
        return s.toString();
    }

    private static final Pattern OPTIONS = Pattern.compile("\\[[^\\]]+\\]");

    /** Ansible's {@code _suggest_filename}: the URI's host and path as words joined by {@code _}, plus {@code .list}. */
    static String suggestFilename(String source) {
        String line = OPTIONS.matcher(source).replaceAll("");
        line = line.replaceAll("\\w+://", "");
        List<String> parts = new ArrayList<>();
        for (String p : line.split("\\s+")) if (!p.isEmpty() && !p.equals("deb") && !p.equals("deb-src")) parts.add(p);
        String first = parts.get(0);
        if (first.contains("@")) first = first.substring(first.indexOf('@') + 1);
        Matcher m = Pattern.compile("[^a-zA-Z0-9]").matcher(first);
        return String.join("_", m.replaceAll(" ").trim().split("\\s+")) + ".list";
    }
}
