package dev.moat.modules.system;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Whether a kernel module is loaded, as community.general's {@code modprobe} judges it: a line of
 * /proc/modules starting with the name ({@code -} read as {@code _}), else a line of
 * {@code /lib/modules/$(uname -r)/modules.builtin} ending in {@code /NAME.ko}. Key {@code kmod:NAME}.
 * Output: {@code loaded}, {@code builtin}, {@code no}, or {@code unreadable} when neither file can
 * be read (a kernel built without loadable modules and without a modules.builtin).
 */
public record KmodFact(String name) implements Fact<KmodFact.Loaded> {
    /** What the host said. */
    public enum Loaded { LOADED, BUILTIN, NO, UNREADABLE }

    public KmodFact {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_-]*")) throw new IllegalArgumentException("not a module name: " + name);
    }

    @Override
    public String key() {
        return "kmod:" + name;
    }

    @Override
    public String script() {
        String n = Sh.q(name.replace('-', '_') + " ");
        String ko = Sh.q("/" + name + ".ko");
        return "b=/lib/modules/$(uname -r)/modules.builtin\n"
                + "if [ -r /proc/modules ] && awk -v n=" + n + " 'index($0, n) == 1 { f = 1 } END { exit !f }' /proc/modules; then echo loaded\n"
                + "elif [ -r \"$b\" ] && awk -v k=" + ko + " '{ sub(/[ \\t\\r\\n]+$/, \"\") } length($0) >= length(k) && substr($0, length($0) - length(k) + 1) == k { f = 1 } END { exit !f }' \"$b\"; then echo builtin\n"
                + "elif [ -r /proc/modules ] || [ -r \"$b\" ]; then echo no\n"
                + "else echo unreadable; fi";
    }

    @Override
    public Loaded parse(FactOutput out) throws TaskException {
        switch (out.text().strip()) {
            case "loaded": return Loaded.LOADED;
            case "builtin": return Loaded.BUILTIN;
            case "no": return Loaded.NO;
            case "unreadable": return Loaded.UNREADABLE;
            default: throw new TaskException("cannot tell whether kernel module " + name + " is loaded: " + out.errText().strip());
        }
    }
}
