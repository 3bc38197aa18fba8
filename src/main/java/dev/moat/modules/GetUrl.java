package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.moat.facts.CommandFact;
import dev.moat.facts.CommandOutput;
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
 * Ansible's {@code get_url}: a file downloaded by the host itself (with curl, wget or python3,
 * whichever it has: {@link Download}) into a private temporary directory, checked against
 * {@code checksum} ({@code ALGO:HEX}, or {@code ALGO:URL} of a checksum file, read as Ansible reads
 * it), then put in place by the same safe writer as {@code copy} ({@link FileWrite}): atomic, mode and
 * owner set before the rename, no symlink followed. Undo restores the previous file or removes the
 * new one.
 *
 * <p>Idempotence: a {@code dest} whose digest equals {@code checksum} is left alone; without a
 * checksum an existing {@code dest} is left alone unless {@code force: true}, in which case the
 * play's read downloads the URL once to compare, and the file changes only when the content
 * differs. Differences from Ansible: without {@code force}, an existing file is never re-fetched
 * (Ansible asks the server with If-Modified-Since); a {@code dest} directory takes the file name from
 * the URL (not from Content-Disposition); with {@code url_password}, {@code force: true} on an
 * existing file and a checksum URL are refused (their reads would carry the password);
 * {@code backup} is refused (the run journal keeps the previous file).
 *
 * <pre>
 * - get_url:
 *     url: https://nvidia.github.io/libnvidia-container/gpgkey
 *     dest: /etc/apt/keyrings/nvidia.asc
 *     checksum: sha256:c880576d6cf75a48e5027a871bac70fd0421ab07d2b55f30877b21f1c87959c9
 *     mode: "0644"
 * </pre>
 */
public final class GetUrl implements Module<GetUrl.GetUrlArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("url", ArgType.STRING),
            ArgSpec.required("dest", ArgType.STRING),
            ArgSpec.optional("checksum", ArgType.STRING, ""),
            ArgSpec.optional("force", ArgType.BOOL, false),
            ArgSpec.optional("timeout", ArgType.INT, 10),
            ArgSpec.optional("headers", ArgType.MAP),
            ArgSpec.optional("validate_certs", ArgType.BOOL, true),
            ArgSpec.optional("url_username", ArgType.STRING).withAliases("username"),
            ArgSpec.optional("url_password", ArgType.STRING).withAliases("password").asSecret(),
            ArgSpec.optional("force_basic_auth", ArgType.BOOL, false),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING));

    private static final List<String> ALGORITHMS = List.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

    /**
     * Validated arguments: {@code algorithm} with either {@code digest} (hex) or {@code digestUrl}, or
     * all null; {@code user}/{@code password} null without credentials.
     */
    public record GetUrlArgs(String url, String dest, String algorithm, String digest, String digestUrl, boolean force,
                             Download.Options options, String user, String password, Attrs attrs) {
        @Override
        public String toString() {
            return "GetUrlArgs[" + url + " -> " + dest + (password != null ? ", password (secret)" : "") + "]";
        }
    }

    @Override
    public String name() {
        return "get_url";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public GetUrlArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        String url = a.str("url");
        if (!url.matches("(?i)(https?|ftp)://[^\\s]+")) throw new ArgException("url", "argument 'url' is '" + url + "'; expected an http, https or ftp URL");
        String algorithm = null;
        String digest = null;
        String digestUrl = null;
        String checksum = a.str("checksum");
        if (!checksum.isEmpty()) {
            int colon = checksum.indexOf(':');
            if (colon < 0) throw new ArgException("checksum", "The checksum parameter has to be in format <algorithm>:<checksum>");
            algorithm = checksum.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!ALGORITHMS.contains(algorithm)) throw new ArgException("checksum", "checksum algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
            String v = checksum.substring(colon + 1);
            if (v.matches("(?i)(https?|ftp|file)://.*")) {
                digestUrl = v;
            } else {
                digest = v.replaceAll("[\\W_]+", "").toLowerCase(Locale.ROOT);
                if (!digest.matches("[0-9a-f]+")) throw new ArgException("checksum", "The checksum format is invalid");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : a.map("headers").entrySet()) {
            String kv = e.getKey() + String.valueOf(e.getValue());
            if (kv.indexOf('\n') >= 0 || kv.indexOf('\r') >= 0) throw new ArgException("headers", "header " + e.getKey() + " contains a newline");
            headers.put(e.getKey(), String.valueOf(e.getValue()));
        }
        String user = a.str("url_username");
        String password = a.str("url_password");
        if (password != null && user == null) throw new ArgException("url_password", "url_password needs url_username");
        if ((user != null && user.contains("\n")) || (password != null && password.contains("\n"))) {
            throw new ArgException("url_username", "credentials cannot contain a newline");
        }
        boolean auth = user != null;
        if (auth && password == null) password = "";
        boolean force = a.bool("force");
        if (password != null && !password.isEmpty() && digestUrl != null) {
            throw new ArgException("checksum", "a checksum URL with url_password is not supported: its read would carry the password");
        }
        return new GetUrlArgs(url, Paths.absolute("dest", a.str("dest")), algorithm, digest, digestUrl, force,
                new Download.Options(headers, a.integer("timeout"), a.bool("validate_certs"), auth), user, password, Attrs.of(a));
    }

    /** The file name Ansible takes from a URL for a {@code dest} directory: the last path segment, or "index.html". */
    static String urlFilename(String url) {
        String path = url.replaceFirst("^[a-zA-Z]+://[^/]*", "").replaceFirst("[?#].*$", "");
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "index.html" : name;
    }

    private static String inDir(GetUrlArgs a) {
        return (a.dest().equals("/") ? "" : a.dest()) + "/" + urlFilename(a.url());
    }

    static CommandFact digestOf(String algorithm, String path) {
        return new CommandFact("digest+" + algorithm + ":" + path,
                "p=" + Sh.q(path) + "; if [ -f \"$p\" ]; then " + algorithm + "sum < \"$p\" | cut -d' ' -f1; fi");
    }

    /** The checksum file fetched by the read. */
    static CommandFact checksumFile(GetUrlArgs a) {
        return new CommandFact("geturl-sum:" + a.digestUrl(), downloadRead(a, a.digestUrl(), "cat \"$d/f\""));
    }

    /** The URL downloaded by the read to compare with an existing file ({@code force: true}): its sha256. */
    static CommandFact probe(GetUrlArgs a, String target) {
        return new CommandFact("geturl+" + FileFact.sha256(a.url().getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ":" + target,
                "if [ -f " + Sh.q(target) + " ]; then\n" + downloadRead(a, a.url(), "sha256sum < \"$d/f\" | cut -d' ' -f1") + "\nfi");
    }

    private static String downloadRead(GetUrlArgs a, String url, String then) {
        Download.Options o = new Download.Options(a.options().headers(), a.options().timeout(), a.options().validateCerts(), false);
        StringBuilder s = new StringBuilder("( d=$(mktemp -d) && trap 'rm -rf -- \"$d\"' EXIT && t=$(")
                .append(Download.TOOL.script()).append(")\n");
        for (String tool : List.of("curl", "wget", "python3")) {
            s.append("if [ \"$t\" = ").append(tool).append(" ]; then ").append(Download.function(tool, o).replace("\n", "\n  ")).append("fi\n");
        }
        return s.append("dl ").append(Sh.q(url)).append(" \"$d/f\" >&2 && ").append(then).append(" )").toString();
    }

    @Override
    public List<Fact<?>> reads(GetUrlArgs a) {
        List<Fact<?>> out = new ArrayList<>(List.of(new FileFact(a.dest()), new FileFact(inDir(a)),
                new FileFact(FileWrite.parentOf(a.dest())), Download.TOOL));
        if (a.algorithm() != null) {
            out.add(digestOf(a.algorithm(), a.dest()));
            out.add(digestOf(a.algorithm(), inDir(a)));
        }
        if (a.digestUrl() != null) out.add(checksumFile(a));
        if (a.force() && (a.password() == null || a.password().isEmpty())) {
            out.add(probe(a, a.dest()));
            out.add(probe(a, inDir(a)));
        }
        return out;
    }

    @Override
    public Plan plan(GetUrlArgs a, Facts facts, PlanContext ctx) throws TaskException {
        FileState destState = facts.get(new FileFact(a.dest()));
        String target = destState.isDirectory() ? inDir(a) : a.dest();
        FileState cur = destState.isDirectory() ? facts.get(new FileFact(target)) : destState;
        String parent = FileWrite.parentOf(target);
        String digest = a.digestUrl() != null ? digestFromFile(a, facts.get(checksumFile(a))) : a.digest();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dest", target);
        result.put("url", a.url());
        if (cur.exists()) {
            if (!cur.isFile()) throw new TaskException("destination " + target + " is not a regular file");
            boolean keep;
            if (digest != null) {
                keep = !a.force() && digest.equals(facts.get(digestOf(a.algorithm(), target)).stdout().strip());
            } else if (a.force()) {
                if (a.password() != null && !a.password().isEmpty()) {
                    throw new TaskException("force: true on an existing " + target + " with url_password is not supported (the read comparing"
                            + " the download would carry the password)");
                }
                CommandOutput probe = facts.get(probe(a, target));
                if (!probe.ok()) throw new TaskException("cannot download " + a.url() + ": " + probe.stderr().strip());
                keep = probe.stdout().strip().equals(cur.sha256());
            } else {
                keep = true;
            }
            if (keep) {
                Plan.Builder b = Plan.builder();
                a.attrs().plan(b, target, cur.mode(), false, false, cur.owner(), cur.uid(), cur.group(), cur.gid());
                result.put("msg", b.hasSteps() ? "file already exists but file attributes changed" : "file already exists");
                result.forEach(b::result);
                return b.build();
            }
        } else if (!ctx.check() && !facts.get(new FileFact(parent)).isDirectory()) {
            throw new TaskException("Destination " + parent + " does not exist");
        }
        String tool = Download.tool(facts.get(Download.TOOL).stdout());
        if (tool == null) throw new TaskException("get_url needs curl, wget or python3 on the host; it has none of them");
        Plan.Builder b = Plan.builder();
        boolean auth = a.options().auth();
        byte[] stdin = auth ? (a.user() + "\n" + a.password() + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0];
        b.step(new Step("download " + a.url() + " to " + target + " with " + tool, script(a, target, tool, digest, cur), stdin, auth));
        b.diff(Diff.file(target, FileWrite.describe(cur), "(downloaded from " + a.url() + ")\n"));
        b.undo(new Undo.RestorePath(target));
        b.touches("file:" + target);
        b.writes(target);
        result.put("msg", "downloaded");
        result.forEach(b::result);
        return b.build();
    }

    /** The step: download into a private directory, check the digest, then the safe writer puts it at {@code target}. */
    static String script(GetUrlArgs a, String target, String tool, String digest, FileState cur) {
        StringBuilder s = new StringBuilder("set -e\numask 077\nd=$(mktemp -d)\ntrap 'rm -rf -- \"$d\"' EXIT\n");
        if (a.options().auth()) s.append("IFS= read -r MOAT_U; IFS= read -r MOAT_P\n");
        s.append(Download.function(tool, a.options()));
        s.append("dl ").append(Sh.q(a.url())).append(" \"$d/f\" || { echo ").append(Sh.q("cannot download " + a.url())).append(" >&2; exit 1; }\n");
        if (digest != null) {
            s.append("got=$(").append(a.algorithm()).append("sum < \"$d/f\" | cut -d' ' -f1)\n")
                    .append("[ \"$got\" = ").append(Sh.q(digest)).append(" ] || { printf '%s\\n' ")
                    .append(Sh.q("The checksum for " + target + " did not match " + digest + "; it was ")).append("\"$got.\" >&2; exit 1; }\n");
        }
        s.append("sh -c ").append(Sh.q(FileWrite.writeScript(target, a.attrs(), null, cur))).append(" moat-get-url < \"$d/f\"\n");
        return s.toString();
    }

    /** Ansible's reading of a checksum file: a single digest, or the line naming the URL's file. */
    static String digestFromFile(GetUrlArgs a, CommandOutput out) throws TaskException {
        if (!out.ok()) throw new TaskException("cannot download the checksum file " + a.digestUrl() + ": " + out.stderr().strip());
        String filename = urlFilename(a.url());
        List<String> lines = out.stdout().lines().toList();
        String found = null;
        if (lines.size() == 1 && lines.get(0).strip().split("\\s+").length == 1) {
            found = lines.get(0).strip();
        } else {
            for (String line : lines) {
                String[] parts = line.split(" ", 2);
                if (parts.length != 2) continue;
                String f = parts[1].startsWith(" ") || parts[1].startsWith("*") ? parts[1].substring(1) : parts[1];
                f = f.replaceFirst("^[./]+", "");
                if (f.equals(filename)) {
                    found = parts[0];
                    break;
                }
            }
        }
        if (found == null) throw new TaskException("Unable to find a checksum for file '" + filename + "' in '" + a.digestUrl() + "'");
        String d = found.replaceAll("[\\W_]+", "").toLowerCase(Locale.ROOT);
        if (!d.matches("[0-9a-f]+")) throw new TaskException("The checksum format is invalid");
        return d;
    }
}
