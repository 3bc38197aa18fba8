package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
import dev.moat.module.Risk;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.Accounts;
import dev.moat.modules.system.UserFact;
import dev.moat.modules.system.UserState;
import dev.moat.transport.Sh;

/**
 * A local user, as Ansible's {@code user} on Linux: {@code useradd}, {@code usermod} or
 * {@code userdel} with Ansible's options, chosen by comparing the passwd entry, the group
 * database and (by digest, never by value) the password hash. {@code password} is a crypt hash
 * and a secret: it goes to {@code chpasswd -e} on stdin, in a step marked sensitive, and diffs
 * only say whether it changes.
 *
 * <p>Undo: the account files ({@link Accounts#FILES}, plus /etc/subuid and /etc/subgid for a new
 * user) are journaled whole and restored byte for byte, and a home directory the task created
 * is removed. Removing a home ({@code remove: true}) cannot be undone and is marked so. A change
 * to root or to the user moat connects as is {@link Risk#SSH}: guarded against a lockout.
 *
 * <pre>
 * - user:
 *     name: ops
 *     groups: [docker, sudo]
 *     append: true
 *     shell: /bin/bash
 * </pre>
 */
public final class User implements Module<User.UserArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING).withAliases("user"),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("uid", ArgType.INT),
            ArgSpec.optional("non_unique", ArgType.BOOL, false),
            ArgSpec.optional("group", ArgType.STRING),
            ArgSpec.optional("groups", ArgType.LIST),
            ArgSpec.optional("append", ArgType.BOOL, false),
            ArgSpec.optional("comment", ArgType.STRING),
            ArgSpec.optional("home", ArgType.STRING),
            ArgSpec.optional("shell", ArgType.STRING),
            ArgSpec.optional("create_home", ArgType.BOOL, true).withAliases("createhome"),
            ArgSpec.optional("system", ArgType.BOOL, false),
            ArgSpec.optional("password", ArgType.STRING).asSecret(),
            ArgSpec.choice("update_password", "always", "always", "on_create"),
            ArgSpec.optional("password_lock", ArgType.BOOL),
            ArgSpec.optional("remove", ArgType.BOOL, false),
            ArgSpec.optional("force", ArgType.BOOL, false));

    /** Validated arguments; null fields are not managed. {@code groups} null: not managed; empty: none. */
    public record UserArgs(String name, boolean present, Integer uid, boolean nonUnique, String group, List<String> groups,
                           boolean append, String comment, String home, String shell, boolean createHome, boolean system,
                           String password, boolean updateAlways, Boolean passwordLock, boolean remove, boolean force) {
        @Override
        public String toString() {
            return "UserArgs[" + name + (password == null ? "" : ", password (secret)") + "]";
        }
    }

    @Override
    public String name() {
        return "user";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public UserArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (!Accounts.isName(name)) throw new ArgException("name", "'" + name + "' is not a user name (letters, digits, _ . -; not starting with -)");
        String group = a.str("group");
        if (group != null && !Accounts.isName(group)) throw new ArgException("group", "'" + group + "' is not a group name");
        List<String> groups = null;
        if (a.has("groups") && a.raw("groups") != null) {
            groups = new ArrayList<>();
            for (String g : a.strings("groups")) {
                if (g.isBlank()) continue;
                if (!Accounts.isName(g.strip())) throw new ArgException("groups", "'" + g + "' is not a group name");
                groups.add(g.strip());
            }
        }
        for (String p : new String[] {"home", "shell"}) {
            String v = a.str(p);
            if (v != null && (!v.startsWith("/") || v.contains(":") || v.contains("\n"))) throw new ArgException(p, p + " must be an absolute path without ':'");
        }
        String comment = a.str("comment");
        if (comment != null && (comment.contains(":") || comment.contains("\n"))) throw new ArgException("comment", "a comment cannot hold ':' or a newline");
        String password = a.str("password");
        if (password != null && (password.contains(":") || password.contains("\n"))) {
            throw new ArgException("password", "the password must be a crypt hash (no ':' or newline); the value is not shown");
        }
        Integer uid = a.integer("uid");
        if (uid != null && uid < 0) throw new ArgException("uid", "uid must not be negative");
        return new UserArgs(name, "present".equals(a.str("state")), uid, a.bool("non_unique"), group, groups, a.bool("append"),
                comment, a.str("home"), a.str("shell"), a.bool("create_home"), a.bool("system"), password,
                "always".equals(a.str("update_password")), a.has("password_lock") ? a.bool("password_lock") : null,
                a.bool("remove"), a.bool("force"));
    }

    private static String homeOf(UserArgs a) {
        return a.home() != null ? a.home() : "/home/" + a.name();
    }

    @Override
    public List<Fact<?>> reads(UserArgs args) {
        return List.of(new UserFact(args.name(), homeOf(args)));
    }

    @Override
    public Plan plan(UserArgs args, Facts facts, PlanContext ctx) throws TaskException {
        UserState u = facts.get(new UserFact(args.name(), homeOf(args)));
        Plan.Builder b = Plan.builder();
        if (!args.present()) {
            b.result("name", args.name()).result("state", "absent");
            if (!u.exists()) return b.build();
            List<String> cmd = new ArrayList<>(List.of("userdel"));
            if (args.force()) cmd.add("-f");
            if (args.remove()) cmd.add("-r");
            cmd.add(args.name());
            b.step(Step.run("remove user " + args.name(), join(cmd)));
            b.diff(Diff.of("user " + args.name(), describe(u), ""));
            journal(b, false);
            if (args.remove()) b.undo(new Undo.Irreversible("home directory " + u.home() + " of user " + args.name() + " removed"));
            return guarded(b, args, ctx).build();
        }
        if (args.group() != null && u.group(args.group()) == null && !ctx.check()) throw new TaskException("Group " + args.group() + " does not exist");
        if (args.groups() != null) {
            for (String g : args.groups()) if (u.group(g) == null && !ctx.check()) throw new TaskException("Group " + g + " does not exist");
        }
        List<String> cmd = u.exists() ? modify(args, u) : create(args, u);
        boolean setHash = args.password() != null && (!u.exists() || args.updateAlways()) && !digest(args.password()).equals(u.hashDigest());
        boolean lock = args.passwordLock() != null && args.passwordLock() != (u.exists() && u.locked());
        if (cmd.isEmpty() && !setHash && !lock) return existing(b, args, u).build();
        StringBuilder script = new StringBuilder(cmd.isEmpty() ? "" : join(cmd) + "\n");
        byte[] stdin = null;
        if (setHash) {
            script.append("chpasswd -e\n");
            stdin = (args.name() + ":" + args.password() + "\n").getBytes(StandardCharsets.UTF_8);
        }
        if (lock || setHash && Boolean.TRUE.equals(args.passwordLock())) {
            script.append("usermod ").append(Boolean.TRUE.equals(args.passwordLock()) ? "-L " : "-U ").append(Sh.q(args.name())).append('\n');
        }
        b.step(new Step((u.exists() ? "modify user " : "create user ") + args.name(), script.toString(), stdin, setHash));
        b.diff(Diff.of("user " + args.name(), u.exists() ? describe(u) : "", after(args, u, setHash)));
        journal(b, !u.exists() && !args.system());
        if (!u.exists() && args.createHome() && !u.homeExists()) b.undo(new Undo.RestorePath(homeOf(args)));
        // A later task writing into the home (copy dest=/home/alice/x) must read its parent again.
        b.touches("file:" + homeOf(args));
        if (args.home() != null && u.exists() && u.home() != null) b.touches("file:" + u.home());
        if (u.exists()) existing(b, args, u);
        return guarded(b, args, ctx).build();
    }

    /** Ansible's useradd command line (the password is set after, from stdin). */
    static List<String> create(UserArgs a, UserState u) {
        List<String> cmd = new ArrayList<>(List.of("useradd"));
        if (a.uid() != null) {
            cmd.add("-u");
            cmd.add(String.valueOf(a.uid()));
            if (a.nonUnique()) cmd.add("-o");
        }
        if (a.group() != null) {
            cmd.add("-g");
            cmd.add(a.group());
        } else if (u.group(a.name()) != null) {
            cmd.add("-N");
        }
        if (a.groups() != null && !a.groups().isEmpty()) {
            cmd.add("-G");
            cmd.add(String.join(",", new LinkedHashSet<>(a.groups())));
        }
        if (a.comment() != null) {
            cmd.add("-c");
            cmd.add(a.comment());
        }
        if (a.home() != null) {
            cmd.add("-d");
            cmd.add(a.home());
        }
        if (a.shell() != null) {
            cmd.add("-s");
            cmd.add(a.shell());
        }
        cmd.add(a.createHome() ? "-m" : "-M");
        if (a.system()) cmd.add("-r");
        cmd.add(a.name());
        return cmd;
    }

    /** Ansible's usermod command line for what differs, or an empty list when nothing does. */
    static List<String> modify(UserArgs a, UserState u) {
        List<String> cmd = new ArrayList<>(List.of("usermod"));
        if (a.uid() != null && a.uid() != u.uid()) {
            cmd.add("-u");
            cmd.add(String.valueOf(a.uid()));
            if (a.nonUnique()) cmd.add("-o");
        }
        if (a.group() != null && u.group(a.group()) != null && u.group(a.group()).gid() != u.gid()) {
            cmd.add("-g");
            cmd.add(a.group());
        }
        if (a.groups() != null) {
            Set<String> have = new LinkedHashSet<>(u.memberOf());
            Set<String> want = new LinkedHashSet<>();
            for (String g : a.groups()) {
                UserState.GroupEntry e = u.group(g);
                String n = e == null ? g : e.name();
                if (e == null || e.gid() != u.gid()) want.add(n);
            }
            boolean differs = a.append() ? !have.containsAll(want) : !have.equals(want);
            if (differs) {
                if (a.append()) cmd.add("-a");
                cmd.add("-G");
                cmd.add(String.join(",", want));
            }
        }
        if (a.comment() != null && !a.comment().equals(u.comment())) {
            cmd.add("-c");
            cmd.add(a.comment());
        }
        if (a.home() != null && !a.home().equals(u.home())) {
            cmd.add("-d");
            cmd.add(a.home());
        }
        if (a.shell() != null && !a.shell().equals(u.shell())) {
            cmd.add("-s");
            cmd.add(a.shell());
        }
        if (cmd.size() == 1) return List.of();
        cmd.add(a.name());
        return cmd;
    }

    /** Journals the account files (and, for a new regular user, its sub-id ranges) before the change. */
    private static void journal(Plan.Builder b, boolean subIds) {
        for (String f : Accounts.FILES) b.undo(new Undo.RestorePath(f));
        if (subIds) b.undo(new Undo.RestorePath("/etc/subuid")).undo(new Undo.RestorePath("/etc/subgid"));
        b.touches(Accounts.TOUCH);
        for (String f : Accounts.FILES) b.touches("file:" + f);
    }

    /** A change to root or the login user may lock the controller out: the lockout guard watches it. */
    private static Plan.Builder guarded(Plan.Builder b, UserArgs a, PlanContext ctx) {
        if (Logins.of(ctx).contains(a.name())) b.risk(Risk.SSH);
        return b;
    }

    /** Ansible's return values for an existing user: as it was read. */
    private static Plan.Builder existing(Plan.Builder b, UserArgs a, UserState u) {
        b.result("name", a.name()).result("state", "present").result("append", a.append()).result("move_home", false)
         .result("uid", u.uid()).result("group", u.gid()).result("comment", u.comment()).result("home", u.home())
         .result("shell", u.shell());
        if (a.groups() != null) b.result("groups", String.join(",", a.groups()));
        return b;
    }

    static String digest(String hash) {
        return dev.moat.facts.FileFact.sha256(hash.replaceFirst("^!+", "").getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(UserState u) {
        return "uid " + u.uid() + ", group " + u.primaryGroup() + ", groups " + String.join(",", u.memberOf()) + ", home " + u.home()
                + ", shell " + u.shell() + ", comment '" + u.comment() + "'" + (u.locked() ? ", password locked" : "") + "\n";
    }

    private static String after(UserArgs a, UserState u, boolean setHash) {
        StringBuilder s = new StringBuilder();
        s.append("uid ").append(a.uid() != null ? a.uid() : u.exists() ? String.valueOf(u.uid()) : "(next free)");
        s.append(", group ").append(a.group() != null ? a.group() : u.exists() ? u.primaryGroup() : a.name());
        List<String> groups = new ArrayList<>(u.exists() && (a.groups() == null || a.append()) ? u.memberOf() : List.of());
        if (a.groups() != null) for (String g : a.groups()) if (!groups.contains(g)) groups.add(g);
        s.append(", groups ").append(String.join(",", groups));
        s.append(", home ").append(a.home() != null ? a.home() : u.exists() ? u.home() : "/home/" + a.name());
        s.append(", shell ").append(a.shell() != null ? a.shell() : u.exists() ? u.shell() : "(default)");
        s.append(", comment '").append(a.comment() != null ? a.comment() : u.exists() ? u.comment() : "").append("'");
        boolean locked = a.passwordLock() != null ? a.passwordLock() : u.locked();
        if (locked) s.append(", password locked");
        if (setHash) s.append(", password hash changed (not shown)");
        return s.append('\n').toString();
    }

    private static String join(List<String> cmd) {
        StringBuilder s = new StringBuilder();
        for (String c : cmd) s.append(s.length() == 0 ? "" : " ").append(Sh.q(c));
        return s.toString();
    }
}
