package dev.moat.modules.system;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * The mount points of the host's mount namespace, from {@code /proc/self/mountinfo} (the fifth
 * field of each line, its octal escapes such as {@code \040} decoded). Key {@code mountinfo}: a task
 * that mounts or unmounts touches it. Null when the file cannot be read (Ansible warns and judges
 * by {@code os.path.ismount} alone; moat then fails, see {@code Mount}).
 */
public record MountsFact() implements Fact<Set<String>> {
    public static final String KEY = "mountinfo";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String script() {
        return "if [ -r /proc/self/mountinfo ]; then echo mountinfo; cat /proc/self/mountinfo; else echo unreadable; fi";
    }

    @Override
    public Set<String> parse(FactOutput out) throws TaskException {
        String text = out.text();
        if (text.startsWith("unreadable")) return null;
        if (!text.startsWith("mountinfo\n")) throw new TaskException("cannot read /proc/self/mountinfo: " + out.errText().strip());
        return parse(text.substring("mountinfo\n".length()));
    }

    /** The mount points that mountinfo text names. */
    public static Set<String> parse(String mountinfo) {
        Set<String> points = new LinkedHashSet<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4) points.add(unescape(f[4]));
        }
        return points;
    }

    /** The kernel's octal escapes ({@code \040} space, {@code \011} tab, {@code \012} newline, {@code \134} backslash). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
