package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * How old the apt package lists are, in seconds (from the newest of
 * {@code /var/lib/apt/periodic/update-success-stamp} and {@code /var/lib/apt/lists}); key
 * {@code apt:cache}. Long.MAX_VALUE when apt was never updated. The {@code apt} module touches the
 * stamp after each update so an unchanged mirror still counts as fresh.
 */
public record AptCacheFact() implements Fact<Long> {
    public static final String KEY = "apt:cache";
    static final String STAMP = "/var/lib/apt/periodic/update-success-stamp";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String script() {
        return "now=$(date +%s); t=$(stat -c %Y " + STAMP + " /var/lib/apt/lists 2>/dev/null | sort -n | tail -n 1); "
                + "echo \"$now ${t:-none}\"";
    }

    @Override
    public Long parse(FactOutput out) throws TaskException {
        String[] f = out.text().strip().split(" ");
        if (f.length != 2) throw new TaskException("cannot read the apt cache age: '" + out.text().strip() + "'");
        if (f[1].equals("none")) return Long.MAX_VALUE;
        return Math.max(0, Long.parseLong(f[0]) - Long.parseLong(f[1]));
    }
}
