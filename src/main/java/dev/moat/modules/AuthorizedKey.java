package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
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
import dev.moat.modules.system.AuthorizedKeys;
import dev.moat.modules.system.KeysFileFact;
import dev.moat.transport.Sh;

/**
 * SSH keys in a user's authorized_keys, as Ansible's {@code ansible.posix.authorized_key}: the
 * file edited line for line by Ansible's rules ({@link AuthorizedKeys}) and written through
 * {@link FileWrite} as the user's file, mode 0600; with {@code manage_dir} its directory made
 * (0700, the user's). Undo: the file (or the directory moat created) restored byte for byte.
 *
 * <p>A change to root's keys or to the connecting user's is {@link Risk#SSH}: the lockout guard
 * checks that a NEW SSH connection still gets in after it, and puts the file back if not, so
 * removing the key moat connects with is reverted instead of locking the controller out.
 * A key fetched from a URL ({@code key: https://...}) is refused by name.
 *
 * <pre>
 * - authorized_key:
 *     user: ops
 *     key: "{{ lookup('file', 'ops.pub') }}"
 *     exclusive: true
 * </pre>
 */
public final class AuthorizedKey implements Module<AuthorizedKey.KeyArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("user", ArgType.STRING),
            ArgSpec.required("key", ArgType.STRING),
            ArgSpec.optional("path", ArgType.STRING),
            ArgSpec.optional("manage_dir", ArgType.BOOL, true),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("key_options", ArgType.STRING),
            ArgSpec.optional("exclusive", ArgType.BOOL, false),
            ArgSpec.optional("comment", ArgType.STRING),
            ArgSpec.optional("validate_certs", ArgType.BOOL, true),
            ArgSpec.optional("follow", ArgType.BOOL, false));

    /** Validated arguments. */
    public record KeyArgs(String user, String path, boolean manageDir, AuthorizedKeys.Want want) {}

    @Override
    public String name() {
        return "authorized_key";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public KeyArgs bind(Args a) throws ArgException {
        String user = a.str("user");
        if (!Accounts.isName(user)) throw new ArgException("user", "'" + user + "' is not a user name");
        String key = a.str("key");
        if (key.startsWith("http")) throw new ArgException("key", "a key fetched from a URL is not supported by moat: give the key itself (lookup('file', ...) or lookup('url', ...))");
        if (a.bool("follow")) throw new ArgException("follow", "follow: true is not supported by moat: give the link's target as path");
        String path = a.str("path");
        if (path != null && (!path.startsWith("/") || path.contains("\n"))) throw new ArgException("path", "path must be absolute: '" + path + "'");
        AuthorizedKeys.Want want = new AuthorizedKeys.Want(key, a.str("key_options"), a.str("comment"), "present".equals(a.str("state")), a.bool("exclusive"));
        try {
            AuthorizedKeys.edit("", want);
        } catch (IllegalArgumentException e) {
            throw new ArgException("key", e.getMessage());
        }
        return new KeyArgs(user, path, a.bool("manage_dir"), want);
    }

    @Override
    public List<Fact<?>> reads(KeyArgs args) {
        return List.of(new KeysFileFact(args.user(), args.path()));
    }

    @Override
    public Plan plan(KeyArgs args, Facts facts, PlanContext ctx) throws TaskException {
        KeysFileFact.KeysFile k = facts.get(new KeysFileFact(args.user(), args.path()));
        Plan.Builder b = Plan.builder().result("user", args.user()).result("key", args.want().keys()).result("keyfile", k.path())
                .result("exclusive", args.want().exclusive()).result("manage_dir", args.manageDir()).result("state", args.want().present() ? "present" : "absent");
        if (!k.userExists()) {
            if (ctx.check() && args.path() != null) return b.build();
            throw new TaskException(ctx.check() ? "Either user must exist or you must provide full path to key file in check mode"
                    : "Failed to lookup user " + args.user() + ": 'getpwnam(): name not found: " + args.user() + "'");
        }
        if (k.file().exists() && !k.file().isFile()) throw new TaskException(k.path() + " is not a regular file");
        String before = k.file().isFile() ? k.file().text() : "";
        if (before == null) throw new TaskException(k.path() + " is not a text file");
        String after = AuthorizedKeys.edit(before, args.want());
        if (after == null) return b.build();
        FileState dir = k.dir();
        String uid = String.valueOf(k.uid());
        String gid = String.valueOf(k.gid());
        if (args.manageDir() && (!dir.isDirectory() || !"0700".equals(dir.mode()) || dir.uid() != k.uid() || dir.gid() != k.gid())) {
            String d = Sh.q(dir.path());
            b.step(Step.run("ssh directory " + dir.path(), "mkdir -p -m 700 -- " + d + " && chown " + uid + ":" + gid + " -- " + d + " && chmod 700 -- " + d));
            b.undo(new Undo.RestorePath(dir.path())).touches("file:" + dir.path());
            dir = new FileState(dir.path(), FileState.Type.DIRECTORY, "0700", k.uid(), k.gid(), uid, gid, 0, null, null, null, false);
        }
        FileWrite.plan(b, k.path(), after.getBytes(StandardCharsets.UTF_8), new Attrs("0600", uid, gid), null, k.file(), dir, ctx.check());
        b.touches(new KeysFileFact(args.user(), args.path()).key());
        if (Logins.of(ctx).contains(args.user())) b.risk(Risk.SSH);
        return b.build();
    }
}
