package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
import dev.moat.modules.system.MountsFact;
import dev.moat.transport.Sh;

/**
 * A mount point in fstab and in the mount table, as {@code ansible.posix.mount} on Linux:
 * {@code present} writes the fstab line ({@code src path fstype opts dump passno}, single spaces,
 * fields escaped as Ansible escapes them), {@code absent_from_fstab} removes it, {@code mounted}
 * writes it, creates the mount point and mounts ({@code mount [-T fstab] path}) or, when the line
 * changed on a mounted path, remounts ({@code mount -o remount[,opts]}); {@code unmounted} unmounts;
 * {@code absent} removes the line, unmounts and removes the directory; {@code remounted} always
 * remounts. Whether a path is mounted is read from /proc/self/mountinfo. {@code boot: false}
 * appends {@code noauto} to the options unless they hold {@code noauto} or {@code defaults}. The
 * behaviour is ansible.posix 1.5's (Debian's Ansible 7), the yardstick's: a line with a trailing
 * comment has more than six fields and is kept, the new line appended after it.
 *
 * <p>Undo: fstab restored byte for byte; a mount this task made is unmounted (and the mount
 * point directory it created removed when empty). Unmounting, removing the directory and
 * remounting cannot be undone (named in the plan). Not supported: {@code state: ephemeral},
 * {@code backup}, {@code opts_no_log}; remount failures are not retried as unmount and mount.
 *
 * <pre>
 * - mount:
 *     path: /mnt/scratch
 *     src: tmpfs
 *     fstype: tmpfs
 *     opts: size=64m
 *     state: mounted
 * </pre>
 */
public final class Mount implements Module<Mount.MountArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("name"),
            ArgSpec.optional("src", ArgType.STRING),
            ArgSpec.optional("fstype", ArgType.STRING),
            ArgSpec.optional("opts", ArgType.STRING),
            ArgSpec.optional("dump", ArgType.STRING, "0"),
            ArgSpec.optional("passno", ArgType.STRING, "0"),
            ArgSpec.optional("fstab", ArgType.STRING),
            ArgSpec.optional("boot", ArgType.BOOL, true),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("opts_no_log", ArgType.BOOL, false),
            ArgSpec.choice("state", null, "absent", "absent_from_fstab", "mounted", "present", "unmounted", "remounted", "ephemeral"));

    /** Validated arguments, defaults filled as Ansible fills them on Linux ({@code opts} with noauto when boot is false). */
    public record MountArgs(String path, String src, String fstype, String opts, String dump, String passno, String fstab, boolean boot,
                            String state) {}

    @Override
    public String name() {
        return "mount";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public MountArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        String state = a.str("state");
        if (state == null) throw new ArgException("state", "missing required arguments: state");
        if (state.equals("ephemeral")) throw new ArgException("state", "state 'ephemeral' is not supported by moat yet");
        if (a.bool("opts_no_log")) throw new ArgException("opts_no_log", "opts_no_log is not supported by moat yet (mark the value secret instead)");
        if ((state.equals("mounted") || state.equals("present")) && (a.str("src") == null || a.str("fstype") == null)) {
            throw new ArgException(a.str("src") == null ? "src" : "fstype", "state is " + state + " but all of the following are missing: "
                    + String.join(", ", missing(a)));
        }
        String path = a.str("path");
        boolean fstabOnly = state.equals("present") || state.equals("absent_from_fstab");
        // A swap line's mount point is "none": only fstab is edited for it.
        if (!path.startsWith("/") && !(fstabOnly && path.equals("none"))) {
            throw new ArgException("path", "path must be an absolute path: '" + path + "'");
        }
        String fstab = a.str("fstab") == null ? "/etc/fstab" : a.str("fstab");
        if (!fstab.startsWith("/")) throw new ArgException("fstab", "fstab must be an absolute path: '" + fstab + "'");
        for (String k : List.of("path", "src", "fstype", "opts", "dump", "passno", "fstab")) {
            String v = a.str(k);
            if (v != null && (v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0)) throw new ArgException(k, k + " must be one line");
        }
        String opts = a.str("opts") == null ? "defaults" : a.str("opts");
        List<String> words = List.of(opts.split(",", -1));
        // As ansible.posix 1.5 (Ansible 7): boot is ignored when opts holds noauto or defaults.
        if (!a.bool("boot") && !words.contains("noauto") && !words.contains("defaults")) opts = opts + ",noauto";
        return new MountArgs(path, a.str("src"), a.str("fstype"), opts, a.str("dump"), a.str("passno"), fstab, a.bool("boot"), state);
    }

    private static List<String> missing(Args a) {
        List<String> m = new ArrayList<>();
        if (a.str("src") == null) m.add("src");
        if (a.str("fstype") == null) m.add("fstype");
        return m;
    }

    @Override
    public List<Fact<?>> reads(MountArgs args) {
        List<Fact<?>> r = new ArrayList<>(TextFile.reads(args.fstab()));
        r.add(new FileFact(args.path()));
        r.add(new MountsFact());
        return r;
    }

    @Override
    public Plan plan(MountArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String before = TextFile.read(facts, args.fstab(), name(), StandardCharsets.UTF_8);
        Set<String> mounts = facts.get(new MountsFact());
        if (mounts == null) throw new TaskException("cannot read /proc/self/mountinfo: moat cannot tell whether " + args.path() + " is mounted");
        boolean mounted = mounts.contains(args.path());
        FileState dir = facts.get(new FileFact(args.path()));
        String text = before == null ? "" : before;
        Plan.Builder b = Plan.builder().result("name", args.path()).result("src", args.src()).result("fstype", args.fstype())
                .result("opts", args.opts()).result("dump", args.dump()).result("passno", args.passno()).result("fstab", args.fstab())
                .result("boot", args.boot() ? "yes" : "no").result("backup_file", "");
        String p = Sh.q(args.path());
        switch (args.state()) {
            case "present" -> writeFstab(b, args, facts, ctx, before, set(text, args));
            case "absent_from_fstab" -> writeFstab(b, args, facts, ctx, before, unset(text, args));
            case "absent" -> {
                String after = unset(text, args);
                if (after != null) {
                    writeFstab(b, args, facts, ctx, before, after);
                    if (mounted) b.step(Step.run("unmount " + args.path(), "umount -- " + p)).touches(MountsFact.KEY);
                    if (dir.exists()) b.step(Step.run("remove mount point " + args.path(), "rmdir -- " + p));
                    if (mounted || dir.exists()) b.undo(new Undo.Irreversible("unmounting and removing " + args.path()));
                }
            }
            case "unmounted" -> {
                if (mounted) {
                    b.step(Step.run("unmount " + args.path(), "umount -- " + p)).touches(MountsFact.KEY);
                    b.diff(Diff.of("mount " + args.path(), "mounted\n", "unmounted\n"));
                    b.undo(new Undo.Irreversible("unmounting " + args.path()));
                }
            }
            case "mounted" -> {
                String after = set(text, args);
                if (!dir.exists()) b.step(Step.run("create mount point " + args.path(), "mkdir -p -- " + p));
                else if (!dir.isDirectory() && !mounted) throw new TaskException("Error mounting " + args.path() + ": mount point is not a directory");
                writeFstab(b, args, facts, ctx, before, after);
                if (mounted) {
                    if (after != null) remount(b, args, "remount " + args.path() + " with its new fstab line");
                } else {
                    b.step(Step.run("mount " + args.path(), "mount" + fstabArgs(args) + " -- " + p)).touches(MountsFact.KEY);
                    b.diff(Diff.of("mount " + args.path(), "unmounted\n", "mounted\n"));
                    b.undo(new Undo.Unmount(args.path(), !dir.exists()));
                }
            }
            case "remounted" -> remount(b, args, "remount " + args.path());
            default -> throw new TaskException("Unexpected position reached");
        }
        return b.build();
    }

    private static void remount(Plan.Builder b, MountArgs args, String describe) {
        String o = args.opts().equals("defaults") ? "remount" : "remount," + args.opts();
        b.step(Step.run(describe, "mount -o " + Sh.q(o) + fstabArgs(args) + " -- " + Sh.q(args.path()))).touches(MountsFact.KEY);
        b.undo(new Undo.Irreversible("remounting " + args.path()));
    }

    /** {@code -T FSTAB} when the fstab is not /etc/fstab, as Ansible's {@code _set_fstab_args}. */
    static String fstabArgs(MountArgs args) {
        return args.fstab().equals("/etc/fstab") ? "" : " -T " + Sh.q(args.fstab());
    }

    private void writeFstab(Plan.Builder b, MountArgs args, Facts facts, PlanContext ctx, String before, String after) throws TaskException {
        if (after == null) return;
        FileState cur = facts.get(new FileFact(args.fstab()));
        FileState parent = facts.get(new FileFact(FileWrite.parentOf(args.fstab())));
        FileWrite.plan(b, args.fstab(), after.getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, cur, parent, ctx.check());
    }

    /** Ansible's {@code _escape_fstab}. */
    static String escape(String v) {
        return v == null ? null : v.replace("\\", "\\134").replace(" ", "\\040").replace("&", "\\046");
    }

    /** Ansible's {@code _set_mount_save_old} on Linux: the new fstab text, or null when nothing changes. */
    static String set(String text, MountArgs args) {
        String name = escape(args.path());
        String[] want = {escape(args.src()), name, escape(args.fstype()), escape(args.opts()), escape(args.dump()), escape(args.passno())};
        StringBuilder out = new StringBuilder();
        boolean exists = false;
        boolean changed = false;
        for (String line : Modprobe.lines(text)) {
            if (!line.endsWith("\n")) line += "\n";
            if (line.strip().isEmpty() || line.strip().startsWith("#")) {
                out.append(line);
                continue;
            }
            // ansible.posix 1.5 splits the whole line: a trailing comment's words count as fields.
            String[] fields = pySplit(line);
            if (fields.length < 4 || fields.length > 6) {
                out.append(line);
                continue;
            }
            // Missing dump and passno are Ansible's int 0, which never equals the string '0'.
            String[] ld = new String[6];
            System.arraycopy(fields, 0, ld, 0, fields.length);
            if (!ld[1].equals(name) || swapOfOtherSource(ld, args)) {
                out.append(line);
                continue;
            }
            exists = true;
            for (int t : new int[] {0, 2, 3, 4, 5}) {
                if (!Objects.equals(ld[t], want[t])) {
                    ld[t] = want[t];
                    changed = true;
                }
            }
            out.append(changed ? String.join(" ", ld) + "\n" : line);
        }
        if (!exists) {
            out.append(String.join(" ", want)).append('\n');
            changed = true;
        }
        return changed ? out.toString() : null;
    }

    /** Ansible's {@code unset_mount} on Linux: the fstab text without the path's lines, or null when none is there. */
    static String unset(String text, MountArgs args) {
        String name = escape(args.path());
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        for (String line : Modprobe.lines(text)) {
            if (line.strip().isEmpty() || line.strip().startsWith("#")) {
                out.append(line);
                continue;
            }
            String[] ld = pySplit(line);
            if (ld.length != 6 || !ld[1].equals(name) || swapOfOtherSource(ld, args)) {
                out.append(line);
                continue;
            }
            changed = true;
        }
        return changed ? out.toString() : null;
    }

    private static boolean swapOfOtherSource(String[] ld, MountArgs args) {
        return args.src() != null && ld[1].equals("none") && "swap".equals(ld[2]) && !ld[0].equals(args.src());
    }

    /** Python's {@code str.split()}: on runs of whitespace, no empty fields. */
    static String[] pySplit(String s) {
        String t = s.strip();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }
}
