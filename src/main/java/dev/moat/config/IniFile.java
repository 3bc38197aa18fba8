package dev.moat.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.MoatException;

/**
 * An ansible.cfg read exactly as Ansible reads it: Python's {@code configparser.ConfigParser} with
 * {@code inline_comment_prefixes=(';',)} and values taken {@code raw} (no {@code %} interpolation).
 * So: {@code key = value} or {@code key: value} (the first {@code =} or {@code :} splits), keys
 * lower-cased, whole-line comments starting with {@code #} or {@code ;}, inline comments only with
 * {@code ;} after whitespace ({@code #} mid-line is part of the value), indented lines continue the
 * value above (joined with newlines), {@code [DEFAULT]} values seen in every section. Unlike
 * Ansible, which prints "Error reading config file", every malformed line is an error naming
 * file:line (exit 65): a line before any section, a line without {@code =}/{@code :}, a key or a
 * section given twice.
 */
final class IniFile {
    private static final Pattern SECTION = Pattern.compile("\\[(.+)\\]");
    private static final Pattern OPTION = Pattern.compile("(.*?)\\s*([=:])\\s*(.*)$");

    /** A value as written, and the line its key is on. */
    record Entry(String value, int line) {}

    private final Path file;
    private final Map<String, Map<String, Entry>> sections;
    private final Map<String, Entry> defaults;

    private IniFile(Path file, Map<String, Map<String, Entry>> sections, Map<String, Entry> defaults) {
        this.file = file;
        this.sections = sections;
        this.defaults = defaults;
    }

    static IniFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw MoatException.invalid(file + ": not UTF-8 text; an ansible.cfg must be UTF-8");
        } catch (IOException e) {
            throw MoatException.invalid(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** configparser's {@code _read}, strict, one error per file. */
    static IniFile parse(String text, Path file) {
        Map<String, Map<String, List<String>>> raw = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> lines = new LinkedHashMap<>();
        Set<String> added = new HashSet<>();
        Map<String, List<String>> cur = null;
        String sect = null;
        String opt = null;
        int indentLevel = 0;
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            int lineno = i + 1;
            String line = all[i];
            if (i == all.length - 1 && line.isEmpty()) break;
            int commentStart = inlineComment(line);
            if (line.strip().startsWith("#") || line.strip().startsWith(";")) commentStart = 0;
            String value = (commentStart < 0 ? line : line.substring(0, commentStart)).strip();
            if (value.isEmpty()) {
                if (commentStart < 0 && cur != null && opt != null) cur.get(opt).add("");
                continue;
            }
            int indent = 0;
            while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) indent++;
            if (cur != null && opt != null && indent > indentLevel) {
                cur.get(opt).add(value);
                continue;
            }
            indentLevel = indent;
            Matcher sm = SECTION.matcher(value);
            if (sm.lookingAt()) {
                sect = sm.group(1);
                if (!sect.equals("DEFAULT") && !added.add("[" + sect)) throw error(file, lineno, "section [" + sect + "] is given twice");
                cur = raw.computeIfAbsent(sect, k -> new LinkedHashMap<>());
                lines.computeIfAbsent(sect, k -> new LinkedHashMap<>());
                opt = null;
                continue;
            }
            if (cur == null) {
                throw error(file, lineno, "'" + value + "' comes before any [section]; settings go under [defaults] (or [privilege_escalation], ...)");
            }
            Matcher om = OPTION.matcher(value);
            if (!om.matches() || om.group(1).isEmpty()) {
                throw error(file, lineno, "expected 'key = value', got '" + value + "'");
            }
            opt = om.group(1).stripTrailing().toLowerCase(java.util.Locale.ROOT);
            if (!added.add(sect + "\0" + opt)) throw error(file, lineno, "'" + opt + "' is set twice in [" + sect + "]");
            List<String> v = new ArrayList<>();
            v.add(om.group(3).strip());
            cur.put(opt, v);
            lines.get(sect).put(opt, lineno);
        }
        Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
        raw.forEach((s, opts) -> {
            Map<String, Entry> m = new LinkedHashMap<>();
            opts.forEach((k, v) -> {
                while (v.size() > 1 && v.get(v.size() - 1).isEmpty()) v.remove(v.size() - 1);
                m.put(k, new Entry(String.join("\n", v), lines.get(s).get(k)));
            });
            sections.put(s, m);
        });
        Map<String, Entry> defaults = sections.getOrDefault("DEFAULT", Map.of());
        sections.remove("DEFAULT");
        return new IniFile(file, sections, defaults);
    }

    /** Where a {@code ;} preceded by whitespace (or at the start) begins a comment; -1 if none. */
    private static int inlineComment(String line) {
        for (int i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
            if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) return i;
        }
        return -1;
    }

    private static MoatException error(Path file, int line, String message) {
        return MoatException.invalid(file + ":" + line + ": " + message);
    }

    Path file() {
        return file;
    }

    /** {@code ConfigParser.get(section, key, raw=True)}: the section's value, else {@code [DEFAULT]}'s; null if neither (or no such section). */
    Entry get(String section, String key) {
        Map<String, Entry> s = sections.get(section);
        if (s == null) return null;
        Entry e = s.get(key);
        return e != null ? e : defaults.get(key);
    }
}
