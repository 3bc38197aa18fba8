package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
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
import dev.moat.module.TaskException;

/**
 * One limit in a pam_limits file, as {@code community.general.pam_limits}: the line for
 * {@code domain}, {@code limit_type} and {@code limit_item} rewritten (tab-separated, with its
 * comment) when its value differs, or appended; {@code use_max}/{@code use_min} keep the larger or
 * smaller of the old and new values. A line-for-line port, Ansible's quirks included: a comment
 * met on an earlier line is carried to the new one when the task gives none, and a last line
 * without a newline gets the new line glued to it. A missing file is created (Ansible creates it
 * even in check mode; moat does not). Undo: the file restored byte for byte.
 *
 * <pre>
 * - pam_limits:
 *     domain: "*"
 *     limit_type: "-"
 *     limit_item: memlock
 *     value: unlimited
 * </pre>
 */
public final class PamLimits implements Module<PamLimits.LimitArgs> {
    static final String[] ITEMS = {"core", "data", "fsize", "memlock", "nofile", "rss", "stack", "cpu", "nproc", "as", "maxlogins",
            "maxsyslogins", "priority", "locks", "sigpending", "msgqueue", "nice", "rtprio", "chroot"};
    private static final Set<String> UNLIMITED = Set.of("unlimited", "infinity", "-1");

    static final Spec SPEC = Spec.of(
            ArgSpec.required("domain", ArgType.STRING),
            ArgSpec.choice("limit_type", null, "soft", "hard", "-"),
            ArgSpec.choice("limit_item", null, ITEMS),
            ArgSpec.required("value", ArgType.STRING),
            ArgSpec.optional("use_max", ArgType.BOOL, false),
            ArgSpec.optional("use_min", ArgType.BOOL, false),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("dest", ArgType.STRING, "/etc/security/limits.conf"),
            ArgSpec.optional("comment", ArgType.STRING, ""));

    /** Validated arguments. */
    public record LimitArgs(String domain, String type, String item, String value, boolean useMax, boolean useMin, String dest,
                            String comment) {}

    @Override
    public String name() {
        return "pam_limits";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public LimitArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        if (a.str("limit_type") == null) throw new ArgException("limit_type", "missing required arguments: limit_type");
        if (a.str("limit_item") == null) throw new ArgException("limit_item", "missing required arguments: limit_item");
        if (a.bool("use_max") && a.bool("use_min")) throw new ArgException("use_min", "Cannot use use_min and use_max at the same time.");
        String dest = a.str("dest");
        if (!dest.startsWith("/")) throw new ArgException("dest", "dest must be an absolute path: '" + dest + "'");
        String invalid = invalid(a.str("limit_item"), a.str("value"), "");
        if (invalid != null) throw new ArgException("value", invalid);
        return new LimitArgs(a.str("domain"), a.str("limit_type"), a.str("limit_item"), a.str("value"), a.bool("use_max"),
                a.bool("use_min"), dest, a.str("comment"));
    }

    /** Ansible's {@code _assert_is_valid_value}: its message, or null when the value is valid. */
    static String invalid(String item, String value, String prefix) {
        if (item.equals("nice") || item.equals("priority")) {
            boolean valid;
            try {
                int v = Integer.parseInt(value.strip());
                valid = v >= -20 && v <= 19;
            } catch (NumberFormatException e) {
                valid = false;
            }
            if (!valid) {
                return prefix + " Value of '" + value + "' for item '" + item + "' is invalid. Value must be a number in the range -20 to 19 inclusive. "
                        + "Refer to the limits.conf(5) manual pages for more details.";
            }
        } else if (!(UNLIMITED.contains(value) || !value.isEmpty() && value.chars().allMatch(Character::isDigit))) {
            return prefix + " Value of '" + value + "' for item '" + item + "' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of "
                    + "which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.";
        }
        return null;
    }

    @Override
    public List<Fact<?>> reads(LimitArgs args) {
        return TextFile.reads(args.dest());
    }

    @Override
    public Plan plan(LimitArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState cur = facts.get(new FileFact(args.dest()));
        FileState parent = facts.get(new FileFact(FileWrite.parentOf(args.dest())));
        if (!cur.isFile() && !parent.isDirectory()) {
            throw new TaskException("directory " + parent.path() + " is not writable (check presence, access rights, use sudo)");
        }
        String before = TextFile.read(facts, args.dest(), name(), StandardCharsets.UTF_8);
        Edit e = edit(before == null ? "" : before, args);
        Plan.Builder b = Plan.builder().result("msg", e.message);
        if (!e.changed && before != null) return b.build();
        FileWrite.plan(b, args.dest(), e.text.getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, cur, parent, ctx.check());
        return b.build();
    }

    /** The file after the edit, whether Ansible calls it changed, and its {@code msg} (the limit's line). */
    record Edit(String text, boolean changed, String message) {}

    static Edit edit(String text, LimitArgs args) throws TaskException {
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        boolean found = false;
        String message = "";
        String comment = args.comment();
        String newValue = args.value();
        for (String line : Modprobe.lines(text)) {
            if (line.startsWith("#")) {
                out.append(line);
                continue;
            }
            String fieldsText = line.replaceAll("\\s+", " ").strip();
            if (fieldsText.isEmpty()) {
                out.append(line);
                continue;
            }
            fieldsText = fieldsText.split("#", 2)[0];
            String[] parts = line.split("#", 2);
            String oldComment = parts.length > 1 ? parts[1] : "";
            fieldsText = fieldsText.stripTrailing();
            if (comment.isEmpty()) comment = oldComment;
            String[] f = fieldsText.split(" ", -1);
            if (f.length != 4) {
                out.append(line);
                continue;
            }
            String bad = invalid(f[2], f[3], "Invalid configuration found in '" + args.dest() + "'.");
            if (bad != null) throw new TaskException(bad);
            if (!(f[0].equals(args.domain()) && f[1].equals(args.type()) && f[2].equals(args.item()))) {
                out.append(line);
                continue;
            }
            found = true;
            String actual = f[3];
            if (args.value().equals(actual)) {
                message = line;
                out.append(line);
                continue;
            }
            // Ansible compares the type, not the item, with nice and priority here.
            boolean actualUnlimited = !f[1].equals("nice") && !f[1].equals("priority") && UNLIMITED.contains(actual);
            boolean valueUnlimited = !f[1].equals("nice") && !f[1].equals("priority") && UNLIMITED.contains(args.value());
            if (args.useMax()) {
                newValue = actualUnlimited ? actual : valueUnlimited ? args.value()
                        : String.valueOf(Math.max(Long.parseLong(args.value()), Long.parseLong(actual)));
            }
            if (args.useMin()) {
                newValue = actualUnlimited && valueUnlimited ? actual : actualUnlimited ? args.value() : valueUnlimited ? actual
                        : String.valueOf(Math.min(Long.parseLong(args.value()), Long.parseLong(actual)));
            }
            if (!newValue.equals(actual)) {
                changed = true;
                if (!comment.isEmpty()) comment = "\t#" + comment;
                String limit = args.domain() + "\t" + args.type() + "\t" + args.item() + "\t" + newValue + comment + "\n";
                message = limit;
                out.append(limit);
            } else {
                message = line;
                out.append(line);
            }
        }
        if (!found) {
            changed = true;
            if (!comment.isEmpty()) comment = "\t#" + comment;
            String limit = args.domain() + "\t" + args.type() + "\t" + args.item() + "\t" + newValue + comment + "\n";
            message = limit;
            out.append(limit);
        }
        return new Edit(out.toString(), changed, message);
    }
}
