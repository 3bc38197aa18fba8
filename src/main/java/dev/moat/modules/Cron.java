package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.CrontabFact;
import dev.moat.transport.Sh;

/**
 * A cron job or variable, as {@code ansible.builtin.cron}: in a user's crontab (read with
 * {@code crontab -l}, written with {@code crontab [-u USER] -}) or in a {@code cron_file} (a name
 * under /etc/cron.d, or an absolute path), under the {@code #Ansible: NAME} marker line Ansible
 * writes, so crontabs Ansible wrote are recognised and the other way round. The edit is
 * {@link CronTab}, a line-for-line port; a cron file left empty by {@code state: absent} is removed.
 * Undo: the cron file, or the user's spool file ({@code /var/spool/cron/crontabs/USER}, Debian's),
 * restored byte for byte.
 *
 * <pre>
 * - cron:
 *     name: nightly cleanup
 *     minute: "0"
 *     hour: "3"
 *     job: /usr/local/bin/cleanup
 * </pre>
 */
public final class Cron implements Module<Cron.CronArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.optional("user", ArgType.STRING),
            ArgSpec.optional("job", ArgType.STRING).withAliases("value"),
            ArgSpec.optional("cron_file", ArgType.STRING),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("minute", ArgType.STRING, "*"),
            ArgSpec.optional("hour", ArgType.STRING, "*"),
            ArgSpec.optional("day", ArgType.STRING, "*").withAliases("dom"),
            ArgSpec.optional("month", ArgType.STRING, "*"),
            ArgSpec.optional("weekday", ArgType.STRING, "*").withAliases("dow"),
            ArgSpec.choice("special_time", null, "reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly"),
            ArgSpec.optional("disabled", ArgType.BOOL, false),
            ArgSpec.optional("env", ArgType.BOOL, false),
            ArgSpec.optional("insertafter", ArgType.STRING),
            ArgSpec.optional("insertbefore", ArgType.STRING))
            .exclusive("insertafter", "insertbefore");

    /** Validated arguments; {@code cronFile} is absolute or null, {@code line} the job line (or variable value) to install. */
    public record CronArgs(String name, String user, String job, String cronFile, boolean present, String minute, String hour,
                           String day, String month, String weekday, String special, boolean disabled, boolean env,
                           String insertAfter, String insertBefore) {}

    @Override
    public String name() {
        return "cron";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public CronArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        String file = a.str("cron_file");
        if (file != null) {
            if (!file.startsWith("/")) file = "/etc/cron.d/" + file;
            if (file.equals("/etc/crontab")) throw new ArgException("cron_file", "Will not manage /etc/crontab via cron_file, see documentation.");
        }
        String user = a.str("user");
        if (user != null && !user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?")) throw new ArgException("user", "'" + user + "' is not a user name");
        boolean present = "present".equals(a.str("state"));
        String special = a.str("special_time");
        String[] when = {a.str("minute"), a.str("hour"), a.str("day"), a.str("month"), a.str("weekday")};
        if (special != null) {
            for (String w : when) if (!w.equals("*")) throw new ArgException("special_time", "You must specify time and date fields or special time.");
        }
        boolean env = a.bool("env");
        if (present) {
            if (file != null && user == null) throw new ArgException("user", "To use cron_file=... parameter you must specify user=... as well");
            if (a.str("job") == null) throw new ArgException("job", "You must specify 'job' to install a new cron job or variable");
            if ((a.str("insertafter") != null || a.str("insertbefore") != null) && !env) {
                throw new ArgException("env", "Insertafter and insertbefore parameters are valid only with env=yes");
            }
        }
        String name = a.str("name");
        if (env && name.contains(" ")) throw new ArgException("name", "Invalid name for environment variable");
        return new CronArgs(name, user, a.str("job"), file, present, when[0], when[1], when[2], when[3], when[4], special,
                a.bool("disabled"), env, a.str("insertafter"), a.str("insertbefore"));
    }

    @Override
    public List<Fact<?>> reads(CronArgs args) {
        if (args.cronFile() != null) return TextFile.reads(args.cronFile());
        return List.of(new CrontabFact(args.user()));
    }

    @Override
    public Plan plan(CronArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState file = null;
        CrontabFact.Crontab user = null;
        CronTab tab;
        if (args.cronFile() != null) {
            file = facts.get(new FileFact(args.cronFile()));
            if (file.exists() && (!file.isFile() || file.text() == null)) throw new TaskException(args.cronFile() + " is not a text file");
            tab = CronTab.ofFile(file.isFile() ? file.text() : "");
        } else {
            user = facts.get(new CrontabFact(args.user()));
            if (user.rc() == 127) throw new TaskException("Failed to find required executable \"crontab\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            if (user.rc() != 0 && user.rc() != 1) throw new TaskException("Unable to read crontab");
            tab = CronTab.ofUser(user.text());
        }
        String header = args.cronFile() != null ? args.cronFile() : args.user() != null ? "crontab for user \"" + args.user() + "\"" : "crontab";
        boolean changed = false;
        if (args.env()) {
            Pattern env = envPattern(args.name());
            String decl = args.name() + "=\"" + args.job() + "\"";
            int old = tab.findEnv(env);
            if (args.present()) {
                if (old < 0) {
                    addEnv(tab, decl, args);
                    changed = true;
                } else if (!tab.lines.get(old).equals(decl)) {
                    tab.updateEnv(env, decl);
                    changed = true;
                }
            } else if (old >= 0) {
                tab.updateEnv(env, null);
                changed = true;
            }
        } else if (args.present()) {
            String job = CronTab.job(args.minute(), args.hour(), args.day(), args.month(), args.weekday(), args.job(), args.special(),
                    args.disabled(), args.cronFile() != null ? args.user() : null);
            List<String> old = tab.findJob(args.name(), job);
            if (old.isEmpty()) {
                tab.addJob(args.name(), job);
                changed = true;
            }
            if (!old.isEmpty() && !old.get(1).equals(job)) {
                tab.updateJob(args.name(), job);
                changed = true;
            }
            if (old.size() > 2) {
                tab.updateJob(args.name(), job);
                changed = true;
            }
        } else if (!tab.findJob(args.name(), null).isEmpty()) {
            tab.updateJob(args.name(), null);
            changed = true;
            if (args.cronFile() != null && tab.isEmpty()) {
                Plan.Builder b = Plan.builder().result("cron_file", args.cronFile()).result("state", "absent");
                if (file.isFile()) {
                    b.step(Step.run("remove " + args.cronFile(), "rm -f -- " + Sh.q(args.cronFile())));
                    b.diff(new Diff(header, "/dev/null", tab.existing, ""));
                    b.undo(new Undo.RestorePath(args.cronFile())).touches("file:" + args.cronFile());
                }
                return b.build();
            }
        }
        if (!changed && !tab.existing.isEmpty() && !(tab.existing.endsWith("\r") || tab.existing.endsWith("\n"))) changed = true;
        Plan.Builder b = Plan.builder().result("jobs", tab.jobNames()).result("envs", tab.envNames()).result("warnings", warnings(args));
        if (args.cronFile() != null) b.result("cron_file", args.cronFile());
        if (!changed) return b.build();
        String after = tab.render();
        if (args.cronFile() != null) {
            Plan.Builder w = Plan.builder();
            FileWrite.plan(w, args.cronFile(), after.getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, file,
                    facts.get(new FileFact(FileWrite.parentOf(args.cronFile()))), ctx.check());
            Plan written = w.build();
            written.steps().forEach(b::step);
            if (written.steps().isEmpty()) b.step(Step.run("rewrite " + args.cronFile() + " unchanged", "true"));
            b.undo(new Undo.RestorePath(args.cronFile())).touches("file:" + args.cronFile());
        } else {
            String u = args.user() != null ? " -u " + Sh.q(args.user()) : "";
            b.step(Step.write("install " + header, "crontab" + u + " -", after));
            b.undo(new Undo.RestorePath(CrontabFact.SPOOL + user.user()))
                    // The spool directory: every read of a crontab there (the login user's included) is stale.
                    .touches("file:" + CrontabFact.SPOOL.substring(0, CrontabFact.SPOOL.length() - 1));
        }
        b.diff(new Diff(header, header, tab.existing, after));
        return b.build();
    }

    private static void addEnv(CronTab tab, String decl, CronArgs args) throws TaskException {
        String other = args.insertAfter() != null ? args.insertAfter() : args.insertBefore();
        if (other == null) {
            tab.lines.add(0, decl);
            return;
        }
        int i = tab.findEnv(envPattern(other));
        if (i < 0) throw new TaskException("Variable named '" + other + "' not found.");
        tab.lines.add(args.insertAfter() != null ? i + 1 : i, decl);
    }

    /** Ansible's {@code re.match('^%s=' % name, line)}: the name is a Python regular expression there. */
    private static Pattern envPattern(String name) throws TaskException {
        try {
            return PyRegex.compile("^" + name + "=", 0);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new TaskException("'" + name + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    private static List<String> warnings(CronArgs args) {
        List<String> w = new ArrayList<>();
        if (args.cronFile() != null) {
            String base = args.cronFile().substring(args.cronFile().lastIndexOf('/') + 1);
            if (!base.matches("(?i)[A-Z0-9_-]+")) {
                w.add("Filename portion of cron_file (\"" + base + "\") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens");
            }
        }
        if (args.present() && !args.env() && args.job() != null) {
            String j = CronTab.stripNewlines(args.job());
            if (j.indexOf('\r') >= 0 || j.indexOf('\n') >= 0) w.add("Job should not contain line breaks");
        }
        return w;
    }
}
