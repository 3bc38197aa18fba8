package dev.moat.modules.system;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * A user's crontab as {@code crontab -l} prints it, read as Ansible's cron reads it: with
 * {@code -u USER} when the user is not the one running the read. Key
 * {@code crontab:/var/spool/cron/crontabs/USER} (Debian's spool; the login user's when no user is
 * named), under the spool so a write to it makes the read stale.
 * Output: the user's name on the first line, crontab's exit status on the second, then its output.
 */
public record CrontabFact(String user) implements Fact<CrontabFact.Crontab> {
    public static final String SPOOL = "/var/spool/cron/crontabs/";

    /** Whose crontab, crontab's exit status, and what it printed. */
    public record Crontab(String user, int rc, String text) {}

    @Override
    public String key() {
        return "crontab:" + SPOOL + (user == null ? "" : user);
    }

    @Override
    public String script() {
        String who = user == null ? "$(id -un)" : Sh.q(user);
        return "u=" + who + "; printf '%s\\n' \"$u\"\n"
                + "command -v crontab >/dev/null 2>&1 || { echo 127; exit 0; }\n"
                + "if [ \"$(id -un)\" = \"$u\" ]; then o=$(crontab -l 2>/dev/null; r=$?; echo x; exit $r)\n"
                + "else o=$(crontab -u \"$u\" -l 2>/dev/null; r=$?; echo x; exit $r); fi; printf '%s\\n' $?\n"
                + "printf '%s' \"${o%x}\"";
    }

    @Override
    public Crontab parse(FactOutput out) throws TaskException {
        String t = out.text();
        int a = t.indexOf('\n');
        int b = a < 0 ? -1 : t.indexOf('\n', a + 1);
        if (b < 0) throw new TaskException("cannot read the crontab: " + out.errText().strip());
        return new Crontab(t.substring(0, a), Integer.parseInt(t.substring(a + 1, b).strip()), t.substring(b + 1));
    }
}
