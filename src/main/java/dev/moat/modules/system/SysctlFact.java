package dev.moat.modules.system;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * The live values ({@code sysctl -e -n}) of a kernel parameter and of every parameter its file
 * sets, so a {@code sysctl -p} of that file can be undone key by key. The key,
 * {@code sysctl:FILE/NAME}, is path-based under the file: writing the file makes it stale.
 * Output: {@code KEY<TAB>VALUE} lines; a key the kernel lacks is left out.
 */
public record SysctlFact(String file, String name) implements Fact<Map<String, String>> {
    public SysctlFact {
        if (!file.startsWith("/")) throw new IllegalArgumentException("absolute path required: " + file);
        if (!Sysctls.isName(name)) throw new IllegalArgumentException("not a sysctl name: " + name);
    }

    @Override
    public String key() {
        return "sysctl:" + file + "/" + name;
    }

    @Override
    public String script() {
        return "f=" + Sh.q(file) + "\n"
                + "{ printf '%s\\n' " + Sh.q(name) + "; if [ -f \"$f\" ]; then sed -n 's/^[[:space:]]*\\([^#;[:space:]][^=]*\\)=.*/\\1/p' \"$f\"; fi; } |"
                + " while read -r k; do v=$(sysctl -e -n -- \"$k\" 2>/dev/null) && [ -n \"$v\" ] && printf '%s\\t%s\\n' \"$k\" \"$v\"; done; :";
    }

    @Override
    public Map<String, String> parse(FactOutput out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.text().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) m.putIfAbsent(line.substring(0, tab).strip(), line.substring(tab + 1));
        }
        return m;
    }
}
