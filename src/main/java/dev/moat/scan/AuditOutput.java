package dev.moat.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inside audit script's output, split into its sections. A section holds its lines, or says the
 * tool was missing ({@code missing}) or failed ({@code error}, its first line of output).
 */
public record AuditOutput(Map<String, Section> sections) {
    /** One section of the output. */
    public record Section(String name, List<String> lines, String missing, String error) {
        public Section {
            lines = List.copyOf(lines);
        }

        /** Whether the tool ran and its lines can be believed. */
        public boolean ran() {
            return missing == null && error == null;
        }

        /** "TOOL not installed" / "SECTION failed: ..." / null when it ran. */
        public String problem() {
            if (missing != null) return missing + " not installed";
            if (error != null) return name + " failed: " + error;
            return null;
        }
    }

    public AuditOutput {
        sections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /** The section, or an empty one that says it was missing from the output. */
    public Section section(String name) {
        Section s = sections.get(name);
        return s != null ? s : new Section(name, List.of(), null, "no such section in the audit output");
    }

    /** Parses the script's stdout; IllegalArgumentException when it is not the audit's output at all. */
    public static AuditOutput parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) i++;
        if (i >= lines.length || !lines[i].trim().equals(AuditScript.MAGIC)) {
            throw new IllegalArgumentException("not moat's audit output (expected '" + AuditScript.MAGIC + "' first)");
        }
        Map<String, Section> out = new LinkedHashMap<>();
        String name = null;
        List<String> body = new ArrayList<>();
        String missing = null, error = null;
        for (i++; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("@@section ")) {
                if (name != null) out.put(name, new Section(name, body, missing, error));
                name = l.substring("@@section ".length()).trim();
                body = new ArrayList<>();
                missing = null;
                error = null;
            } else if (name == null) {
                continue;
            } else if (l.startsWith("@@missing ")) {
                missing = l.substring("@@missing ".length()).trim();
            } else if (l.startsWith("@@error")) {
                error = l.substring("@@error".length()).trim();
            } else if (!l.isEmpty() || name.equals("compose")) {
                body.add(l);
            }
        }
        if (name != null) out.put(name, new Section(name, body, missing, error));
        if (!out.containsKey("end")) throw new IllegalArgumentException("the audit output ends early (no end section)");
        return new AuditOutput(out);
    }

    /** The compose files of the {@code compose} section: path → content. */
    public Map<String, String> composeFiles() {
        return composeBlocks("@@file ");
    }

    /** The {@code .env} beside each compose file that has one: compose file path → the {@code .env}'s content. */
    public Map<String, String> composeEnvs() {
        Map<String, String> envs = composeBlocks("@@env ");
        Map<String, String> out = new LinkedHashMap<>();
        for (String file : composeFiles().keySet()) {
            String env = envs.get(file.substring(0, file.lastIndexOf('/') + 1) + ".env");
            if (env != null) out.put(file, env);
        }
        return out;
    }

    /** The blocks of the compose section whose header starts with {@code kind}: path → content. */
    private Map<String, String> composeBlocks(String kind) {
        Map<String, String> blocks = new LinkedHashMap<>();
        String path = null;
        StringBuilder content = new StringBuilder();
        for (String l : section("compose").lines()) {
            if (l.startsWith("@@file ") || l.startsWith("@@env ")) {
                if (path != null) blocks.put(path, content.toString());
                path = l.startsWith(kind) ? l.substring(kind.length()) : null;
                content = new StringBuilder();
            } else if (path != null && l.startsWith("|")) {
                content.append(l, 1, l.length()).append('\n');
            }
        }
        if (path != null) blocks.put(path, content.toString());
        return blocks;
    }
}
