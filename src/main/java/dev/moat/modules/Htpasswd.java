package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import dev.moat.modules.htpasswd.HtpasswdFile;
import dev.moat.modules.htpasswd.PasswordHashes;
import dev.moat.transport.Sh;

/**
 * An htpasswd file (HTTP Basic Auth users for Nginx or Apache). Hashes are bcrypt ({@code $2y$}),
 * computed on the controller: the plaintext never crosses the wire or touches the host's disk,
 * and never appears in a diff, message, result or log. A listed user whose existing hash already
 * verifies against the password (bcrypt, {@code $apr1$} or {@code {SHA}}) keeps it, so a rerun
 * changes nothing; users not listed are kept unless {@code exclusive: true}. The file is written
 * atomically, as {@code copy} does; the diff names users added, changed and removed, never a hash.
 * A missing owner or group (no {@code www-data} without a web server) fails the write with a
 * message saying so, before the file is touched. An empty password is refused: it is almost always
 * an unset environment variable behind a lookup.
 *
 * <pre>
 * - htpasswd:
 *     path: /etc/nginx/moat.htpasswd
 *     users:
 *       apiuser: "{{ lookup('env', 'MOAT_VAULT_PASSWORD') }}"
 *     group: www-data        # the defaults: mode 0640, owner root
 *     exclusive: true
 * </pre>
 */
public final class Htpasswd implements Module<Htpasswd.HtpasswdArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest"),
            ArgSpec.required("users", ArgType.MAP).asSecret(),
            ArgSpec.optional("mode", ArgType.MODE, "0640"),
            ArgSpec.optional("owner", ArgType.STRING, "root"),
            ArgSpec.optional("group", ArgType.STRING, "www-data"),
            ArgSpec.optional("exclusive", ArgType.BOOL, false),
            ArgSpec.optional("cost", ArgType.INT, 10));

    /** Validated arguments; {@code users} maps names to plaintext passwords and is never printed. */
    public record HtpasswdArgs(String path, Map<String, String> users, Attrs attrs, boolean exclusive, int cost) {
        public HtpasswdArgs {
            users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(users));
        }

        @Override
        public String toString() {
            return "HtpasswdArgs[path=" + path + ", users=" + users.keySet() + " (passwords withheld), attrs=" + attrs
                    + ", exclusive=" + exclusive + ", cost=" + cost + "]";
        }
    }

    @Override
    public String name() {
        return "htpasswd";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public HtpasswdArgs bind(Args a) throws ArgException {
        String path = Paths.absolute("path", a.str("path"));
        Map<String, String> users = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : a.map("users").entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.length() > 255 || name.contains(":") || !name.matches("[^\\s\\x00-\\x1f]+")) {
                throw new ArgException("users", "user name '" + name + "' is not usable in htpasswd (no ':', spaces or control characters)");
            }
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List) throw new ArgException("users", "the password of user " + name + " must be a string");
            String pw = v == null ? "" : String.valueOf(v);
            if (pw.isEmpty()) {
                throw new ArgException("users", "the password of user " + name + " is empty (an unset environment variable or file?)");
            }
            if (pw.indexOf('\0') >= 0) throw new ArgException("users", "the password of user " + name + " contains a NUL byte");
            users.put(name, pw);
        }
        if (users.isEmpty() && !a.bool("exclusive")) throw new ArgException("users", "no users given");
        int cost = a.integer("cost");
        if (cost < 4 || cost > 31) throw new ArgException("cost", "bcrypt cost must be within 4-31, got " + cost);
        return new HtpasswdArgs(path, users, Attrs.of(a), a.bool("exclusive"), cost);
    }

    @Override
    public List<Fact<?>> reads(HtpasswdArgs args) {
        return TextFile.reads(args.path());
    }

    /**
     * Shell lines that fail clearly when the owner or group does not exist. Checked when the steps
     * run, not from a fact read at the start of the play: an earlier task may create the account.
     */
    static String accountChecks(Attrs attrs) {
        StringBuilder s = new StringBuilder();
        if (attrs.owner() != null && !numeric(attrs.owner())) s.append(check("passwd", "user", attrs.owner(), "set owner:"));
        if (attrs.group() != null && !numeric(attrs.group())) {
            s.append(check("group", "group", attrs.group(), "install the web server first, or set group:"));
        }
        return s.toString();
    }

    private static boolean numeric(String s) {
        return s.matches("\\d+");
    }

    private static String check(String db, String what, String name, String hint) {
        return "getent " + db + " " + Sh.q(name) + " >/dev/null || { echo "
                + Sh.q(what + " '" + name + "' does not exist on this host (" + hint + ")") + " >&2; exit 1; }\n";
    }

    @Override
    public Plan plan(HtpasswdArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String path = args.path();
        FileState cur = facts.get(new FileFact(path));
        FileState parent = facts.get(new FileFact(FileWrite.parentOf(path)));
        Attrs attrs = args.attrs();
        if (cur.exists() && !cur.isFile()) throw new TaskException(path + " exists and is not a regular file");
        if (cur.isFile() && cur.text() == null) throw new TaskException(path + " is not a text file (binary or over " + FileFact.CAP + " bytes)");
        if (!parent.isDirectory() && !ctx.check()) {
            throw new TaskException("parent directory " + parent.path() + " of " + path + (parent.exists() ? " is not a directory" : " does not exist"));
        }

        HtpasswdFile file = HtpasswdFile.parse(cur.isFile() ? cur.text() : "");
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String u : file.users()) before.add(u + ": (hash)");
        for (Map.Entry<String, String> e : args.users().entrySet()) {
            String old = file.hash(e.getKey());
            if (old != null && PasswordHashes.verify(e.getValue(), old)) continue;
            file.put(e.getKey(), PasswordHashes.bcrypt(e.getValue(), args.cost()));
            (old == null ? added : changed).add(e.getKey());
        }
        if (args.exclusive()) {
            for (String u : file.users()) {
                if (!args.users().containsKey(u)) {
                    file.remove(u);
                    removed.add(u);
                }
            }
        }
        for (String u : file.users()) after.add(u + ": " + (added.contains(u) || changed.contains(u) ? "(new hash)" : "(hash)"));

        Plan.Builder b = Plan.builder();
        boolean rewrite = !cur.isFile() || !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
        if (rewrite) {
            byte[] content = file.render().getBytes(StandardCharsets.UTF_8);
            b.step(new Step("write " + path + " (" + file.users().size() + " users)", FileWrite.writeScript(path, attrs, null, cur),
                    content, true));
            b.diff(Diff.of(path, lines(before), lines(after)));
            if (cur.isFile()) attrsDiff(b, path, cur, attrs);
            b.undo(new Undo.RestorePath(path));
            b.touches("file:" + path);
            b.writes(path);
        } else {
            attrs.plan(b, path, cur.mode(), false, false, cur.owner(), cur.uid(), cur.group(), cur.gid());
        }
        Plan p = b.build();
        String checks = accountChecks(attrs);
        List<Step> steps = new ArrayList<>();
        for (Step st : p.steps()) steps.add(new Step(st.describe(), checks + st.script(), st.stdin(), st.sensitive()));
        return new Plan(steps, p.diffs(), p.undo(), p.touches(), p.risks(),
                Map.of("added", added, "changed", changed, "removed", removed), null, null);
    }

    private static void attrsDiff(Plan.Builder b, String path, FileState cur, Attrs attrs) {
        List<String> was = new ArrayList<>();
        List<String> will = new ArrayList<>();
        String mode = attrs.mode() == null ? cur.mode() : Modes.apply(attrs.mode(), cur.mode(), false);
        if (!mode.equals(cur.mode())) { was.add("mode " + cur.mode()); will.add("mode " + mode); }
        if (attrs.owner() != null && !Attrs.sameId(attrs.owner(), cur.owner(), cur.uid())) { was.add("owner " + cur.owner()); will.add("owner " + attrs.owner()); }
        if (attrs.group() != null && !Attrs.sameId(attrs.group(), cur.group(), cur.gid())) { was.add("group " + cur.group()); will.add("group " + attrs.group()); }
        if (!was.isEmpty()) b.diff(Diff.of(path, String.join(", ", was), String.join(", ", will)));
    }

    private static String lines(List<String> l) {
        return l.isEmpty() ? "" : String.join("\n", l) + "\n";
    }
}
