package dev.moat.compose;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;

/** Detects {@link ComposeTool}: prints {@code plugin<TAB>VERSION} and/or {@code standalone<TAB>VERSION}. */
public record ComposeToolFact() implements Fact<ComposeTool> {
    @Override
    public String key() {
        return "compose:tool";
    }

    @Override
    public String script() {
        return "if docker compose version >/dev/null 2>&1; then printf 'plugin\\t%s\\n' \"$(docker compose version --short 2>/dev/null)\"; fi\n"
                + "if command -v docker-compose >/dev/null 2>&1; then printf 'standalone\\t%s\\n' \"$(docker-compose version --short 2>/dev/null)\"; fi\n"
                + "exit 0\n";
    }

    @Override
    public ComposeTool parse(FactOutput out) {
        return parse(out.text());
    }

    static ComposeTool parse(String text) {
        boolean plugin = false;
        boolean standalone = false;
        String pv = null;
        String sv = null;
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", 2);
            String v = f.length > 1 ? f[1].strip() : "";
            if (f[0].equals("plugin")) {
                plugin = true;
                pv = v;
            } else if (f[0].equals("standalone")) {
                standalone = true;
                sv = v;
            }
        }
        return new ComposeTool(plugin, pv, standalone, sv);
    }
}
