package dev.moat.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Copies a file from the host to the controller, as Ansible's {@code fetch}: to
 * {@code dest/HOST/SRC}, or with {@code flat} to {@code dest} itself ({@code dest/} + the file's
 * name when it ends with a slash). The play's read brings only the file's SHA-1; the file itself
 * travels only when the controller's copy differs, in a step the engine writes to the controller
 * ({@link Step#fetch}), checked against that SHA-1 when {@code validate_checksum}.
 *
 * <p>Check mode: skipped, as Ansible 2.14's fetch skips it ("check mode not (yet) supported for
 * this module"). Nothing changes on the host, so nothing is journaled there; rollback leaves the
 * controller's file as the run wrote it (moat does not remove or restore controller files).
 *
 * <pre>
 * - fetch: {src: /etc/nginx/nginx.conf, dest: backups/}
 * </pre>
 */
public final class Fetch implements Module<Fetch.FetchArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("src", ArgType.STRING),
            ArgSpec.required("dest", ArgType.STRING),
            ArgSpec.optional("flat", ArgType.BOOL, false),
            ArgSpec.optional("fail_on_missing", ArgType.BOOL, true),
            ArgSpec.optional("validate_checksum", ArgType.BOOL, true));

    public record FetchArgs(String src, String dest, boolean flat, boolean failOnMissing, boolean validate) {}

    /** The host file's state: {@code ok SHA1}, or missing, dir, unreadable. */
    record Remote(String state, String sha1) {}

    record RemoteFact(String path) implements Fact<Remote> {
        @Override
        public String key() {
            return "fetch:" + path;
        }

        @Override
        public String script() {
            String p = Sh.q(path);
            return "if [ -d " + p + " ]; then echo dir; elif [ ! -e " + p + " ]; then echo missing; elif [ ! -r " + p + " ]; then echo unreadable;"
                    + " else echo \"ok $(sha1sum < " + p + " | cut -c1-40)\"; fi";
        }

        @Override
        public Remote parse(FactOutput out) throws TaskException {
            String[] f = out.text().strip().split(" ");
            if (out.rc() != 0 || f.length == 0) throw new TaskException("fetch: cannot read " + path + ": " + out.errText().strip());
            return new Remote(f[0], f.length > 1 ? f[1] : null);
        }
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public FetchArgs bind(Args a) throws ArgException {
        String src = a.str("src");
        if (src == null || src.isBlank()) throw new ArgException("src", "src and dest are required");
        return new FetchArgs(src, a.str("dest"), a.bool("flat"), a.bool("fail_on_missing"), a.bool("validate_checksum"));
    }

    @Override
    public List<Fact<?>> reads(FetchArgs f) {
        return List.of(new RemoteFact(f.src()));
    }

    @Override
    public Plan plan(FetchArgs f, Facts facts, PlanContext ctx) throws TaskException {
        if (ctx.check()) return Plan.skipped("check mode not (yet) supported for this module");
        Remote r = facts.get(new RemoteFact(f.src()));
        Path base = f.dest().startsWith("/") ? Path.of(f.dest()) : ctx.localPath(f.dest(), null);
        String dest = f.dest().startsWith("/") || base == null ? f.dest() : base.toString() + (f.dest().endsWith("/") ? "/" : "");
        return plan(f, r, Path.of(destination(f, dest, ctx.host())));
    }

    /** Where the file goes, as Ansible's fetch computes it (before normalizing). */
    static String destination(FetchArgs f, String dest, String host) throws TaskException {
        if (f.flat()) {
            if (Files.isDirectory(Path.of(dest)) && !dest.endsWith("/")) {
                throw new TaskException("dest is an existing directory, use a trailing slash if you want to fetch src into that directory");
            }
            return dest.endsWith("/") ? dest + Path.of(f.src()).getFileName() : dest;
        }
        return Path.of(dest + "/" + host + "/" + f.src()).normalize().toString();
    }

    static Plan plan(FetchArgs f, Remote r, Path dest) throws TaskException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", f.src());
        if (r.state().equals("missing") || r.state().equals("unreadable")) {
            String msg = r.state().equals("missing") ? "the remote file does not exist, not transferring, ignored" : "unable to read the remote file " + f.src();
            if (f.failOnMissing()) throw new TaskException(msg);
            result.put("msg", msg);
            return Plan.converged().withResult(result);
        }
        if (r.state().equals("dir")) {
            if (f.failOnMissing()) throw new TaskException("remote file is a directory, fetch cannot work on directories");
            result.put("msg", "remote file is a directory, fetch cannot work on directories, not transferring, ignored");
            return Plan.converged().withResult(result);
        }
        String local = sha1(dest);
        result.put("dest", dest.toString());
        result.put("checksum", r.sha1());
        result.put("remote_checksum", r.sha1());
        if (r.sha1().equals(local)) return Plan.converged().withResult(result);
        Plan.Builder b = Plan.builder();
        b.step(Step.fetch("fetch " + f.src() + " to " + dest + " on the controller", "base64 < " + Sh.q(f.src()),
                new Step.ToController(dest, f.validate() ? r.sha1() : null)));
        b.diff(Diff.of("controller file " + dest, local == null ? "absent" : "sha1 " + local, "sha1 " + r.sha1()));
        result.forEach(b::result);
        return b.build();
    }

    /** The SHA-1 of a controller file, or null when there is none. */
    static String sha1(Path p) throws TaskException {
        if (!Files.isRegularFile(p)) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new TaskException("fetch: cannot read " + p + " on the controller: " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
