package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.moat.facts.CommandFact;
import dev.moat.facts.CommandOutput;
import dev.moat.facts.FileFact;
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
import dev.moat.transport.Sh;

/**
 * Ansible's {@code unarchive} with {@code remote_src: true}: an archive already on the host (zip,
 * or tar plain, gzip, bzip2 or xz) extracted into an existing directory {@code dest}.
 *
 * <p>The play's read does what Ansible's module does before extracting, in one snippet: picks the
 * handler as Ansible does (zip, then tar -z, plain tar, -j, -J), lists the archive, and compares it
 * with the disk. For tar that comparison is Ansible's own: GNU {@code tar --diff}, whose lines are
 * filtered as {@code TgzArchive.is_unarchived} filters them (size, mod time, contents, symlink,
 * missing file; mode unless {@code mode} is given; uid/gid unless owner/group are given). For zip
 * it is a simplified subset of {@code ZipArchive.is_unarchived}: each entry must exist with the
 * same type, and each regular file's bytes must equal the archive's ({@code unzip -p | cmp});
 * zip mtimes and modes are not compared. The read also stats every listed path, so the plan knows
 * which exist: the undo journals each file the extraction may overwrite (restored byte for byte)
 * and each new path (removed), before anything is extracted. An existing directory's own mode and
 * mtime, which tar may change, are not journaled.
 *
 * <p>A controller-side {@code src} (the default, {@code remote_src: false}) is refused by name
 * when a host reaches the task; so is a URL {@code src}.
 *
 * <pre>
 * - unarchive:
 *     src: /tmp/cuda-samples.tar.gz
 *     dest: /opt
 *     remote_src: true
 *     creates: /opt/cuda-samples
 * </pre>
 */
public final class Unarchive implements Module<Unarchive.UnarchiveArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("src", ArgType.STRING),
            ArgSpec.required("dest", ArgType.STRING),
            ArgSpec.optional("remote_src", ArgType.BOOL, false),
            ArgSpec.optional("copy", ArgType.BOOL),
            ArgSpec.optional("creates", ArgType.STRING),
            ArgSpec.optional("list_files", ArgType.BOOL, false),
            ArgSpec.optional("keep_newer", ArgType.BOOL, false),
            ArgSpec.optional("exclude", ArgType.LIST),
            ArgSpec.optional("include", ArgType.LIST),
            ArgSpec.optional("extra_opts", ArgType.LIST),
            ArgSpec.optional("validate_certs", ArgType.BOOL, true),
            ArgSpec.optional("decrypt", ArgType.BOOL, true),
            ArgSpec.optional("io_buffer_size", ArgType.INT),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING));

    /** Validated arguments; {@code creates} null when not given. */
    public record UnarchiveArgs(String src, String dest, boolean remoteSrc, String creates, boolean listFiles, boolean keepNewer,
                                List<String> exclude, List<String> include, List<String> extraOpts, Attrs attrs) {
        public UnarchiveArgs {
            exclude = List.copyOf(exclude);
            include = List.copyOf(include);
            extraOpts = List.copyOf(extraOpts);
        }
    }

    @Override
    public String name() {
        return "unarchive";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public UnarchiveArgs bind(Args a) throws ArgException {
        boolean remote = a.bool("remote_src");
        // Ansible's deprecated 'copy: false' means the archive is already on the host.
        if (a.has("copy") && a.raw("copy") != null) {
            if (a.has("remote_src") && a.raw("remote_src") != null && Boolean.TRUE.equals(Args.toBool(a.raw("remote_src")))) {
                throw new ArgException("copy", "parameters are mutually exclusive: copy|remote_src");
            }
            remote = !a.bool("copy");
        }
        List<String> exclude = a.strings("exclude");
        List<String> include = a.strings("include");
        if (!exclude.isEmpty() && !include.isEmpty()) throw new ArgException("include", "parameters are mutually exclusive: include|exclude");
        String creates = a.str("creates");
        return new UnarchiveArgs(a.str("src"), Paths.absolute("dest", a.str("dest")), remote,
                creates == null || creates.isEmpty() ? null : creates, a.bool("list_files"), a.bool("keep_newer"),
                exclude, include, a.strings("extra_opts"), Attrs.of(a));
    }

    @Override
    public List<Fact<?>> reads(UnarchiveArgs a) {
        List<Fact<?>> out = new ArrayList<>();
        if (a.creates() != null) out.add(new FileFact(a.creates()));
        if (a.remoteSrc() && !a.src().contains("://")) out.add(state(a));
        return out;
    }

    /**
     * With a controller-side {@code src}, the archive is listed here on the controller, and the read
     * stats (and hashes) each path it lists under {@code dest}.
     */
    @Override
    public List<Fact<?>> reads(UnarchiveArgs a, PlanContext ctx) throws TaskException {
        if (a.remoteSrc()) return reads(a);
        List<Fact<?>> out = new ArrayList<>(reads(a));
        out.add(hostState(a, controllerArchive(a, ctx)));
        return out;
    }

    static ControllerArchive controllerArchive(UnarchiveArgs a, PlanContext ctx) throws TaskException {
        java.nio.file.Path p = ctx.localPath(a.src(), "files");
        if (!java.nio.file.Files.isRegularFile(p)) throw new TaskException("Could not find or access '" + a.src() + "' on the Ansible Controller.");
        try {
            byte[] b = java.nio.file.Files.readAllBytes(p);
            if (b.length == 0) throw new TaskException("Invalid archive '" + a.src() + "', the file is 0 bytes");
            return ControllerArchive.read(b);
        } catch (java.io.IOException e) {
            throw new TaskException("cannot read " + a.src() + " on the controller: " + e.getMessage());
        }
    }

    /** The members Ansible would extract: without {@code exclude} matches (fnmatch), or only {@code include} members and what is under them. */
    static List<ControllerArchive.Entry> selected(UnarchiveArgs a, ControllerArchive archive) {
        List<ControllerArchive.Entry> out = new ArrayList<>();
        for (ControllerArchive.Entry e : archive.entries()) {
            boolean keep = true;
            for (String x : a.exclude()) if (fnmatch(x.replaceFirst("/+$", ""), e.name())) keep = false;
            if (!a.include().isEmpty()) {
                keep = false;
                String n = e.name().replaceFirst("/+$", "");
                for (String i : a.include()) {
                    String w = i.replaceFirst("/+$", "");
                    if (n.equals(w) || n.startsWith(w + "/")) keep = true;
                }
            }
            if (keep) out.add(e);
        }
        return out;
    }

    /** Python's fnmatch: '*' and '?' match any character, '/' included. */
    static boolean fnmatch(String glob, String name) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return name.matches(re.toString());
    }

    /** The read for a controller-side archive: dest a directory, then each listed path's stat, size, mtime and sha256. */
    static CommandFact hostState(UnarchiveArgs a, ControllerArchive archive) {
        StringBuilder s = new StringBuilder("d=").append(Sh.q(a.dest())).append("; export LC_ALL=C\n")
                .append("if [ ! -d \"$d\" ]; then echo '@@state nodest'; exit 0; fi\ncd \"$d\" || exit 0\necho '@@state ")
                .append(archive.handler()).append("'\necho '@@lstat'\nfor n in");
        List<ControllerArchive.Entry> entries = selected(a, archive);
        for (ControllerArchive.Entry e : entries) s.append(' ').append(Sh.q(e.name().isEmpty() ? "." : e.name()));
        if (entries.isEmpty()) s.append(" ''");
        s.append("; do [ -n \"$n\" ] || continue\n"
                + "  if [ -e \"$n\" ] || [ -L \"$n\" ]; then printf '%s\\t' \"$n\"\n"
                + "    if [ -f \"$n\" ] && [ ! -L \"$n\" ]; then h=$(sha256sum < \"$n\" | cut -c1-64); else h=-; fi\n"
                + "    stat -c \"%a %U %u %G %g %s %Y $h %F\" -- \"$n\"\n"
                + "  else printf '%s\\t-\\n' \"$n\"; fi\ndone\nexit 0\n");
        return new CommandFact("unarchive-local:" + a.dest() + ":" + archive.id() + ":"
                + FileFact.sha256(a.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12), s.toString());
    }

    /** What tar --diff would say of the controller archive against the read: missing, size, contents, mod time, mode. */
    static Listing compare(UnarchiveArgs a, ControllerArchive archive, Listing host) {
        List<String> files = new ArrayList<>();
        List<String> diff = new ArrayList<>();
        for (ControllerArchive.Entry e : selected(a, archive)) {
            files.add(e.name());
            String key = e.name().replaceFirst("/+$", "");
            Stat st = host.stats().get(key.isEmpty() ? "." : key);
            if (st == null) {
                diff.add(e.name() + ": Warning: Cannot stat: No such file or directory");
                continue;
            }
            boolean dir = st.type().equals("directory");
            boolean file = st.type().startsWith("regular");
            if (e.type() == 'd' && !dir || e.type() == 'f' && !file || e.type() == 'l' && !st.type().equals("symbolic link")) {
                diff.add(e.name() + ": Contents differ");
                continue;
            }
            if (e.type() == 'f') {
                if (e.size() != st.size()) diff.add(e.name() + ": Size differs");
                else if (!e.sha256().equals(st.sha256())) diff.add(e.name() + ": Contents differ");
                if (e.mtime() >= 0 && e.mtime() != st.mtime()) diff.add(e.name() + ": Mod time differs");
            }
            if (e.mode() >= 0 && e.type() != 'l' && !Integer.toOctalString(e.mode()).equals(st.mode())) diff.add(e.name() + ": Mode differs");
        }
        return new Listing(host.state(), files, diff, host.stats());
    }

    /** The read: the handler, the archive's listing, its comparison with the disk and a stat of each listed path. */
    static CommandFact state(UnarchiveArgs a) {
        String key = "unarchive:" + a.dest() + ":" + FileFact.sha256(a.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return new CommandFact(key, readScript(a));
    }

    /** The handlers as Ansible picks them, in its order: its class name and tar's compression flag. */
    static final List<String[]> TAR_HANDLERS = List.of(new String[]{"TgzArchive", "-z"}, new String[]{"TarArchive", ""},
            new String[]{"TarBzipArchive", "-j"}, new String[]{"TarXzArchive", "-J"});

    static String readScript(UnarchiveArgs a) {
        StringBuilder s = new StringBuilder();
        s.append("s=").append(Sh.q(a.src())).append("; d=").append(Sh.q(a.dest())).append("; export LC_ALL=C\n");
        s.append("if [ ! -e \"$s\" ]; then echo '@@state nosrc'; exit 0; fi\n");
        s.append("if [ ! -s \"$s\" ]; then echo '@@state empty'; exit 0; fi\n");
        s.append("if [ ! -d \"$d\" ]; then echo '@@state nodest'; exit 0; fi\n");
        s.append("f=\nif command -v unzip >/dev/null 2>&1 && unzip -Z -1 \"$s\" >/dev/null 2>&1; then f=ZipArchive\n");
        for (String[] h : TAR_HANDLERS) {
            s.append("elif tar ").append(h[1]).append(" --list -f \"$s\" >/dev/null 2>&1; then f=").append(h[0]).append('\n');
        }
        s.append("fi\necho \"@@state $f\"\n[ -n \"$f\" ] || exit 0\ncd \"$d\" || exit 0\n");
        s.append("list() { case $f in\n");
        s.append("  ZipArchive) unzip -Z -1 \"$s\"").append(words(a.include())).append(a.exclude().isEmpty() ? "" : " -x" + words(a.exclude())).append(" ;;\n");
        for (String[] h : TAR_HANDLERS) {
            s.append("  ").append(h[0]).append(") tar --list ").append(h[1]).append(tarOpts(a, false)).append(" -f \"$s\"").append(words(a.include())).append(" ;;\n");
        }
        s.append("esac; }\n");
        s.append("echo '@@list'; list\n");
        s.append("echo '@@diff'\n");
        s.append("case $f in\n  ZipArchive) list | while IFS= read -r n; do case $n in\n"
                + "    */) [ -d \"$n\" ] || echo \"$n: Warning: Cannot stat: No such file or directory\" ;;\n"
                + "    *) if [ -L \"$n\" ] || [ ! -e \"$n\" ]; then echo \"$n: Warning: Cannot stat: No such file or directory\"\n"
                + "       elif unzip -p \"$s\" \"$n\" | cmp -s - \"$n\"; then :; else echo \"$n: Contents differ\"; fi ;;\n"
                + "  esac; done ;;\n");
        for (String[] h : TAR_HANDLERS) {
            s.append("  ").append(h[0]).append(") tar --diff -C \"$d\" ").append(h[1]).append(tarOpts(a, true))
                    .append(" -f \"$s\"").append(words(a.include())).append(" 2>&1 ;;\n");
        }
        s.append("esac\n");
        s.append("echo '@@stat'\nlist | while IFS= read -r n; do n=${n#/}; [ -n \"$n\" ] || continue\n"
                + "  if [ -e \"$n\" ] || [ -L \"$n\" ]; then printf '%s\\t' \"$n\"; stat -c '%a %U %u %G %g %F' -- \"$n\"; "
                + "else printf '%s\\t-\\n' \"$n\"; fi\ndone\nexit 0\n");
        return s.toString();
    }

    /** tar's options after the compression flag, as Ansible orders them; {@code owner} adds --owner/--group (diff and extract). */
    static String tarOpts(UnarchiveArgs a, boolean owner) {
        StringBuilder s = new StringBuilder();
        if (!a.extraOpts().isEmpty()) s.append(" --show-transformed-names").append(words(a.extraOpts()));
        if (owner && a.attrs().owner() != null) s.append(' ').append(Sh.q("--owner=" + a.attrs().owner()));
        if (owner && a.attrs().group() != null) s.append(' ').append(Sh.q("--group=" + a.attrs().group()));
        if (owner && a.keepNewer()) s.append(" --keep-newer-files");
        for (String e : a.exclude()) s.append(' ').append(Sh.q("--exclude=" + e.replaceFirst("/+$", "")));
        return s.toString();
    }

    private static String words(List<String> ws) {
        StringBuilder s = new StringBuilder();
        for (String w : ws) s.append(' ').append(Sh.q(w));
        return s.toString();
    }

    @Override
    public Plan plan(UnarchiveArgs a, Facts facts, PlanContext ctx) throws TaskException {
        if (a.creates() != null && facts.get(new FileFact(a.creates())).exists()) {
            return Plan.skipped("skipped, since " + a.creates() + " exists");
        }
        if (!a.remoteSrc()) {
            ControllerArchive archive = controllerArchive(a, ctx);
            Listing host = Listing.parse(facts.get(hostState(a, archive)));
            if (host.state().equals("nodest")) return plan(a, host, null);
            return plan(a, compare(a, archive, host), archive.bytes());
        }
        if (a.src().contains("://")) throw new TaskException("unarchive with remote_src and a URL src is not supported: download it with get_url first");
        return plan(a, Listing.parse(facts.get(state(a))), null);
    }

    /**
     * Pure: the decision from the read's listing. {@code upload}: the bytes of a controller-side
     * archive, sent as the step's stdin (null for an archive on the host).
     */
    static Plan plan(UnarchiveArgs a, Listing l, byte[] upload) throws TaskException {
        switch (l.state()) {
            case "nosrc": throw new TaskException("Source '" + a.src() + "' does not exist");
            case "empty": throw new TaskException("Invalid archive '" + a.src() + "', the file is 0 bytes");
            case "nodest": throw new TaskException("dest '" + a.dest() + "' must be an existing dir");
            case "": throw new TaskException("Failed to find handler for \"" + a.src() + "\". Make sure the required command to extract the file is installed.");
            default: break;
        }
        if (l.files().isEmpty()) {
            throw new TaskException("Failed to find handler for \"" + a.src() + "\": the archive lists no files (empty archives are not supported)");
        }
        List<String> differences = differences(a, l.diff());
        Plan.Builder b = Plan.builder();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("handler", l.state());
        result.put("dest", a.dest());
        result.put("src", a.src());
        if (a.listFiles()) result.put("files", l.files());
        if (differences.isEmpty()) {
            // Extracted already: only the attributes Ansible sets on each file and top folder may differ.
            for (String p : attrPaths(l.files())) {
                Stat st = l.stats().get(p.replaceFirst("/+$", ""));
                if (st == null) continue;
                a.attrs().plan(b, join(a.dest(), p), st.mode(), st.type().equals("directory"), st.type().equals("symbolic link"),
                        st.owner(), st.uid(), st.group(), st.gid());
            }
            result.forEach(b::result);
            return b.build();
        }
        b.step(new Step("extract " + a.src() + " into " + a.dest(), extractScript(a, l.state(), l.files(), upload != null), upload, false));
        b.diff(Diff.of(a.dest(), String.join("\n", differences.subList(0, Math.min(20, differences.size()))),
                "extracted from " + a.src() + " (" + l.files().size() + " entries)"));
        for (String p : journaled(l)) {
            b.undo(new Undo.RestorePath(join(a.dest(), p)));
        }
        for (String p : l.stats().keySet()) {
            if (escapes(p)) continue;
            b.touches("file:" + join(a.dest(), p));
            b.writes(join(a.dest(), p));
        }
        result.forEach(b::result);
        return b.build();
    }

    private static final Pattern OWNER_DIFF = Pattern.compile(": Uid differs$");
    private static final Pattern GROUP_DIFF = Pattern.compile(": Gid differs$");
    private static final Pattern MODE_DIFF = Pattern.compile(": Mode differs$");
    private static final Pattern EMPTY_FILE = Pattern.compile(": : Warning: Cannot stat: No such file or directory$");
    private static final List<Pattern> DIFFERS = List.of(Pattern.compile(": Mod time differs$"),
            Pattern.compile(": Warning: Cannot stat: No such file or directory$"), Pattern.compile(": Invalid owner"),
            Pattern.compile(": Invalid group"), Pattern.compile(": Symlink differs$"), Pattern.compile(": Contents differ$"),
            Pattern.compile(": Size differs$"));

    /** The lines of the comparison that mean "not extracted", filtered as Ansible's TgzArchive.is_unarchived (run as root). */
    static List<String> differences(UnarchiveArgs a, List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (EMPTY_FILE.matcher(line).find()) continue;
            boolean hit = a.attrs().owner() == null && OWNER_DIFF.matcher(line).find()
                    || a.attrs().group() == null && GROUP_DIFF.matcher(line).find()
                    || a.attrs().mode() == null && MODE_DIFF.matcher(line).find();
            for (Pattern p : DIFFERS) hit |= p.matcher(line).find();
            if (hit) out.add(line);
        }
        return out;
    }

    /** The paths Ansible sets attributes on: every listed entry, then each top folder. */
    static List<String> attrPaths(List<String> files) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : files) if (!escapes(f)) out.add(f);
        for (String f : files) if (f.contains("/") && !escapes(f)) out.add(f.substring(0, f.indexOf('/')));
        return new ArrayList<>(out);
    }

    /**
     * What the undo journals, relative to dest: every listed path that is not an existing directory
     * (an existing file is saved, a missing path removed), except a missing path under a listed
     * missing one (removing the parent removes it).
     */
    static List<String> journaled(Listing l) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Stat> e : l.stats().entrySet()) {
            String p = e.getKey();
            Stat st = e.getValue();
            if (st != null && st.type().equals("directory") || escapes(p)) continue;
            if (st == null && missingAncestor(p, l.stats())) continue;
            out.add(p);
        }
        return out;
    }

    /** A member name with a ".." segment: tar and unzip refuse to write it, so moat neither journals nor touches it. */
    static boolean escapes(String name) {
        for (String seg : name.split("/")) if (seg.equals("..")) return true;
        return false;
    }

    private static boolean missingAncestor(String p, Map<String, Stat> stats) {
        for (int i = p.indexOf('/'); i > 0 && i < p.length() - 1; i = p.indexOf('/', i + 1)) {
            String up = p.substring(0, i);
            if (stats.containsKey(up) && stats.get(up) == null) return true;
        }
        return false;
    }

    static String join(String dest, String rel) {
        String r = rel.replaceFirst("/+$", "");
        if (r.equals(".") || r.isEmpty()) return dest;
        if (r.startsWith("./")) r = r.substring(2);
        return (dest.equals("/") ? "" : dest) + "/" + r;
    }

    /** The step: extract as Ansible's handler does, then set the attributes on each listed path and top folder. */
    static String extractScript(UnarchiveArgs a, String handler, List<String> files, boolean upload) {
        StringBuilder s = new StringBuilder("set -e\nexport LC_ALL=C\ns=").append(Sh.q(a.src())).append("; d=").append(Sh.q(a.dest())).append("\ncd \"$d\"\n");
        if (upload) {
            // The controller's archive arrives on stdin, into a private directory removed on exit.
            s.append("t=$(umask 077 && mktemp -d)\ntrap 'rm -rf -- \"$t\"' EXIT\ncat > \"$t/archive\"\ns=\"$t/archive\"\n");
        }
        if (handler.equals("ZipArchive")) {
            s.append("unzip -o \"$s\"").append(words(a.extraOpts())).append(words(a.include()))
                    .append(a.exclude().isEmpty() ? "" : " -x" + words(a.exclude())).append(" -d \"$d\" >/dev/null\n");
        } else {
            String flag = "";
            for (String[] h : TAR_HANDLERS) if (h[0].equals(handler)) flag = h[1];
            s.append("tar --extract -C \"$d\" ").append(flag).append(tarOpts(a, true)).append(" -f \"$s\"").append(words(a.include())).append('\n');
        }
        if (a.attrs().any()) {
            for (String p : attrPaths(files)) {
                String path = Sh.q(join(a.dest(), p));
                s.append("if [ -e ").append(path).append(" ] || [ -L ").append(path).append(" ]; then\n");
                if (a.attrs().mode() != null) s.append("  [ -L ").append(path).append(" ] || chmod ").append(Sh.q(a.attrs().mode())).append(" -- ").append(path).append('\n');
                if (a.attrs().owner() != null || a.attrs().group() != null) {
                    String spec = (a.attrs().owner() != null ? a.attrs().owner() : "") + (a.attrs().group() != null ? ":" + a.attrs().group() : "");
                    s.append("  chown -h ").append(Sh.q(spec)).append(" -- ").append(path).append('\n');
                }
                s.append("fi\n");
            }
        }
        return s.toString();
    }

    /** One listed path's state on the host: octal mode, owner and group (name and id), stat's type ("regular file", "directory", ...). */
    record Stat(String mode, String owner, int uid, String group, int gid, String type, long size, long mtime, String sha256) {
        Stat(String mode, String owner, int uid, String group, int gid, String type) {
            this(mode, owner, uid, group, gid, type, -1, -1, null);
        }
    }

    /**
     * The read, parsed: {@code state} is the handler's class name, or nosrc/empty/nodest, or "" when
     * no handler can list the archive; {@code files} the listing (leading "/" dropped, as Ansible);
     * {@code diff} the comparison's lines; {@code stats} each listed path (trailing "/" dropped) to
     * its state, null when it does not exist.
     */
    record Listing(String state, List<String> files, List<String> diff, Map<String, Stat> stats) {
        static Listing parse(CommandOutput out) throws TaskException {
            if (!out.ok()) throw new TaskException("cannot read the archive: " + out.stderr().strip());
            String state = null;
            List<String> files = new ArrayList<>();
            List<String> diff = new ArrayList<>();
            Map<String, Stat> stats = new LinkedHashMap<>();
            String section = "";
            for (String line : out.stdout().split("\n")) {
                if (line.startsWith("@@state")) {
                    state = line.length() > 8 ? line.substring(8).strip() : "";
                } else if (line.equals("@@list") || line.equals("@@diff") || line.equals("@@stat") || line.equals("@@lstat")) {
                    section = line;
                } else if (section.equals("@@list") && !line.isEmpty()) {
                    files.add(line.startsWith("/") ? line.substring(1) : line);
                } else if (section.equals("@@diff") && !line.isEmpty()) {
                    diff.add(line);
                } else if (section.endsWith("stat") && !line.isEmpty()) {
                    int tab = line.lastIndexOf('\t');
                    if (tab < 0) continue;
                    String path = line.substring(0, tab).replaceFirst("/+$", "");
                    if (path.isEmpty()) path = ".";
                    String rest = line.substring(tab + 1);
                    if (rest.equals("-")) {
                        stats.put(path, null);
                    } else if (section.equals("@@lstat")) {
                        String[] f = rest.split(" ", 9);
                        if (f.length < 9) throw new TaskException("cannot read the destination: unexpected stat line '" + line + "'");
                        stats.put(path, new Stat(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]), f[8],
                                Long.parseLong(f[5]), Long.parseLong(f[6]), f[7].equals("-") ? null : f[7]));
                    } else {
                        String[] f = rest.split(" ", 6);
                        if (f.length < 6) throw new TaskException("cannot read the archive: unexpected stat line '" + line + "'");
                        stats.put(path, new Stat(f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]), f[5]));
                    }
                }
            }
            if (state == null) throw new TaskException("cannot read the archive: no answer from the host");
            return new Listing(state, files, diff, stats);
        }
    }
}
