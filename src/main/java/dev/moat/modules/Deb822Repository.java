package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
import dev.moat.transport.Sh;

/**
 * An apt source in deb822 format, as Ansible's {@code deb822_repository}: writes
 * {@code /etc/apt/sources.list.d/SLUG.sources} (SLUG: the name lower-cased, spaces and underscores
 * as dashes, other characters dropped) with one field per given argument, in Ansible's order and
 * spelling ({@code X-Repolib-Name}, {@code URIs}, {@code yes}/{@code no}). {@code signed_by} is a
 * key file on the host (named as is), a URL the host downloads to {@code /etc/apt/keyrings/SLUG.asc}
 * (armored) or {@code .gpg} (binary), mode 0644, or key text / a fingerprint written inline in the
 * file. apt 2.6 (Debian 12) accepts both a path and an inline key in {@code Signed-By}. {@code absent}
 * removes the file and the keys this module downloads. Like Ansible, it does not refresh apt's lists:
 * follow it with {@code apt: update_cache: true}.
 *
 * <p>Undo: the sources file, the key file and {@code /etc/apt/keyrings} (when this task created it)
 * are journaled and restored byte for byte.
 *
 * <pre>
 * - deb822_repository:
 *     name: docker
 *     types: deb
 *     uris: https://download.docker.com/linux/debian
 *     suites: "{{ ansible_distribution_release }}"
 *     components: stable
 *     signed_by: https://download.docker.com/linux/debian/gpg
 * </pre>
 */
public final class Deb822Repository implements Module<Deb822Repository.RepoArgs> {
    static final String SOURCES_D = "/etc/apt/sources.list.d";
    static final String KEYRINGS = "/etc/apt/keyrings";
    private static final List<String> BOOLS = List.of("allow_downgrade_to_insecure", "allow_insecure", "allow_weak", "by_hash",
            "check_date", "check_valid_until", "enabled", "pdiffs", "trusted");
    private static final List<String> LISTS = List.of("architectures", "components", "languages", "suites", "targets", "types", "uris");
    static final Spec SPEC = buildSpec();

    private static Spec buildSpec() {
        List<ArgSpec> a = new ArrayList<>();
        a.add(ArgSpec.required("name", ArgType.STRING));
        for (String b : BOOLS) a.add(ArgSpec.optional(b, ArgType.BOOL));
        for (String l : LISTS) a.add(l.equals("types") ? ArgSpec.optional(l, ArgType.LIST, List.of("deb")) : ArgSpec.optional(l, ArgType.LIST));
        a.add(ArgSpec.optional("date_max_future", ArgType.INT));
        a.add(ArgSpec.optional("inrelease_path", ArgType.STRING));
        a.add(ArgSpec.optional("signed_by", ArgType.STRING));
        a.add(ArgSpec.optional("mode", ArgType.MODE, "0644"));
        a.add(ArgSpec.choice("state", "present", "present", "absent"));
        return new Spec(a, null, List.of(), List.of());
    }

    /**
     * Validated arguments: {@code fields} are the deb822 fields but {@code Signed-By}, in Ansible's
     * order (by argument name); {@code signedBy} is the argument as given (null when absent).
     */
    public record RepoArgs(String name, String slug, Map<String, String> fields, String signedBy, String mode, boolean present) {
        String dest() {
            return SOURCES_D + "/" + slug + ".sources";
        }

        String key(String ext) {
            return KEYRINGS + "/" + slug + "." + ext;
        }

        boolean keyUrl() {
            return signedBy != null && signedBy.matches("(?i)[a-z][a-z0-9+.-]*://.+");
        }

        boolean keyPath() {
            return signedBy != null && signedBy.startsWith("/") && signedBy.indexOf('\n') < 0;
        }
    }

    @Override
    public String name() {
        return "deb822_repository";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public RepoArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[_\\s]+", "-").replaceAll("[^a-z0-9-]+", "");
        if (slug.isEmpty()) throw new ArgException("name", "name '" + name + "' leaves no file name (letters, digits and dashes are kept)");
        for (String t : a.strings("types")) {
            if (!t.equals("deb") && !t.equals("deb-src")) throw new ArgException("types", "value of types must be one or more of: deb, deb-src. Got no match for: " + t);
        }
        TreeMap<String, String> byArg = new TreeMap<>();
        for (String b : BOOLS) if (a.has(b)) byArg.put(b, a.bool(b) ? "yes" : "no");
        for (String l : LISTS) if (a.has(l) || l.equals("types")) byArg.put(l, String.join(" ", a.strings(l)));
        if (a.has("date_max_future")) byArg.put("date_max_future", String.valueOf(a.integer("date_max_future")));
        if (a.has("inrelease_path")) byArg.put("inrelease_path", a.str("inrelease_path"));
        byArg.put("name", name);
        String signed = a.str("signed_by");
        if (signed != null) byArg.put("signed_by", null);
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : byArg.entrySet()) {
            String v = e.getValue();
            if (v != null && (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) && !e.getKey().equals("signed_by")) v = multiline(v);
            fields.put(fieldName(e.getKey()), v);
        }
        return new RepoArgs(name, slug, fields, signed, a.str("mode"), a.str("state").equals("present"));
    }

    /** Ansible's field names: {@code X-Repolib-Name}, {@code URIs}, else the argument title-cased with dashes. */
    static String fieldName(String arg) {
        if (arg.equals("name")) return "X-Repolib-Name";
        if (arg.equals("uris")) return "URIs";
        StringBuilder s = new StringBuilder();
        boolean up = true;
        for (char c : arg.replace('_', '-').toCharArray()) {
            s.append(up ? Character.toUpperCase(c) : c);
            up = !Character.isLetter(c);
        }
        return s.toString();
    }

    /** A multi-line value as deb822 folds it: each line indented four spaces, an empty line as {@code .}. */
    static String multiline(String v) {
        StringBuilder s = new StringBuilder();
        for (String line : v.strip().split("\r?\n")) s.append("\n    ").append(line.strip().isEmpty() ? "." : line.strip());
        return s.toString();
    }

    @Override
    public List<Fact<?>> reads(RepoArgs args) {
        List<Fact<?>> r = new ArrayList<>(TextFile.reads(args.dest()));
        if (!args.present() || args.keyUrl()) {
            r.add(new FileFact(args.key("asc")));
            r.add(new FileFact(args.key("gpg")));
            r.add(new FileFact(KEYRINGS));
        }
        if (args.present() && args.keyUrl()) r.add(AptKeyFile.fact(args.signedBy()));
        if (args.present() && args.keyPath()) r.add(new FileFact(args.signedBy()));
        return r;
    }

    @Override
    public Plan plan(RepoArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Plan.Builder b = Plan.builder();
        b.result("dest", args.dest());
        if (!args.present()) {
            String key = null;
            for (String p : List.of(args.dest(), args.key("asc"), args.key("gpg"))) {
                FileState f = facts.get(new FileFact(p));
                if (!f.exists()) continue;
                if (!p.equals(args.dest())) key = p;
                b.step(Step.run("remove " + p, "rm -f -- " + Sh.q(p)));
                b.diff(Diff.file(p, FileWrite.describe(f), ""));
                b.undo(new Undo.RestorePath(p)).touches("file:" + p);
            }
            b.result("repo", null).result("key_filename", key);
            return b.build();
        }
        String signedBy = args.signedBy();
        String keyFile = null;
        if (args.keyUrl()) {
            AptKeyFile.Read k = AptKeyFile.parse(facts.get(AptKeyFile.fact(signedBy)).stdout());
            if (k.error() != null) throw new TaskException("Could not fetch signed_by key: " + signedBy + ": " + k.error());
            keyFile = args.key(k.armored() ? "asc" : "gpg");
            FileState dir = facts.get(new FileFact(KEYRINGS));
            if (!dir.exists()) {
                b.step(Step.run("create " + KEYRINGS, "mkdir -m 0755 -p -- " + KEYRINGS)).undo(new Undo.RestorePath(KEYRINGS)).touches("file:" + KEYRINGS);
            } else if (!dir.isDirectory()) {
                throw new TaskException(KEYRINGS + " is not a directory");
            }
            FileState cur = facts.get(new FileFact(keyFile));
            if (!cur.isFile() || !k.sha256().equals(cur.sha256())) {
                b.step(Step.run("download " + signedBy + " to " + keyFile, AptKeyFile.write(signedBy, k.sha256(), keyFile)));
                b.diff(Diff.of(keyFile, cur.exists() ? "sha256 " + cur.sha256() + "\n" : "", "sha256 " + k.sha256() + " from " + signedBy + "\n"));
                b.undo(new Undo.RestorePath(keyFile)).touches("file:" + keyFile);
            } else if (Integer.parseInt(cur.mode(), 8) != 0644) {
                b.step(Step.run("chmod 0644 " + keyFile, "chmod 0644 -- " + Sh.q(keyFile)));
                b.diff(Diff.of(keyFile, "mode " + cur.mode() + "\n", "mode 644\n"));
                b.undo(new Undo.RestorePath(keyFile)).touches("file:" + keyFile);
            }
            signedBy = keyFile;
        } else if (args.keyPath() && !facts.get(new FileFact(signedBy)).isFile()) {
            // Ansible: not a file on the host, nor a URL: the text goes in as it is.
            keyFile = null;
        } else if (args.keyPath()) {
            keyFile = signedBy;
        }
        String repo = render(args.fields(), signedBy);
        Plan.Builder w = TextFile.write(args.dest(), repo, StandardCharsets.UTF_8, new Attrs(args.mode(), null, null), null, facts, ctx);
        Plan written = w.build();
        for (Step s : written.steps()) b.step(s);
        for (Diff d : written.diffs()) b.diff(d);
        for (Undo u : written.undo()) b.undo(u);
        for (String t : written.touches()) b.touches(t);
        b.writes(args.dest());
        if (b.hasSteps()) b.touches("aptsources:");
        b.result("repo", repo).result("key_filename", keyFile);
        return b.build();
    }

    /** The file's text: {@code fields} in order with {@code Signed-By} at its place. */
    static String render(Map<String, String> fields, String signedBy) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String v = e.getKey().equals("Signed-By") ? (signedBy.indexOf('\n') >= 0 ? multiline(signedBy) : signedBy) : e.getValue();
            s.append(e.getKey()).append(v.startsWith("\n") ? ":" : ": ").append(v).append('\n');
        }
        return s.toString();
    }
}
