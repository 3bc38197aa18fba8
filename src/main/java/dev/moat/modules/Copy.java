package dev.moat.modules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.moat.facts.FileFact;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;
import dev.moat.vault.Vault;
import dev.moat.vault.VaultException;
import dev.moat.vault.VaultText;

/**
 * Puts a file on the host from inline {@code content} or a controller file {@code src} (looked up
 * absolute or under the playbook's {@code files/}), atomically: a temp file beside the destination,
 * mode and owners set, {@code validate} run on it, then renamed over the destination. The parent
 * directory must exist. Undo restores the previous file (or removes the new one). A destination that
 * ends with {@code /} receives {@code src}'s file name.
 *
 * <pre>
 * - copy:
 *     dest: /etc/nginx/conf.d/limits.conf
 *     content: "limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;\n"
 *     mode: "0644"
 *     validate: nginx -t -c %s
 * </pre>
 */
public final class Copy implements Module<Copy.CopyArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("dest", ArgType.STRING).withAliases("path"),
            ArgSpec.optional("content", ArgType.STRING),
            ArgSpec.optional("src", ArgType.STRING),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING),
            ArgSpec.optional("validate", ArgType.STRING),
            ArgSpec.optional("backup", ArgType.BOOL, false))
            .exclusive("content", "src").oneOf("content", "src");

    /** Validated arguments: exactly one of {@code content} and {@code src}. */
    public record CopyArgs(String dest, String content, String src, Attrs attrs, String validate) {}

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public CopyArgs bind(Args a) throws ArgException {
        String rawDest = a.str("dest");
        String dest = Paths.absolute("dest", rawDest);
        if (rawDest.endsWith("/")) {
            if (a.str("src") == null) throw new ArgException("dest", "dest ends with '/', but content needs a file name");
            dest = (dest.equals("/") ? "" : dest) + "/" + Paths.basename(a.str("src"));
        }
        TextFile.refuseBackup(a);
        return new CopyArgs(dest, a.str("content"), a.str("src"), Attrs.of(a), validate(a));
    }

    static String validate(Args a) throws ArgException {
        String v = a.str("validate");
        if (v != null && !v.contains("%s")) throw new ArgException("validate", "validate must contain %s (the file to check)");
        return v;
    }

    @Override
    public List<Fact<?>> reads(CopyArgs args) {
        return TextFile.reads(args.dest());
    }

    @Override
    public Plan plan(CopyArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Local src = args.content() != null ? null : readLocal(args.src(), ctx.localPath(args.src(), "files"));
        byte[] content = src == null ? args.content().getBytes(StandardCharsets.UTF_8) : src.bytes();
        Plan.Builder b = Plan.builder();
        FileWrite.plan(b, args.dest(), content, args.attrs(), args.validate(),
                facts.get(new FileFact(args.dest())), facts.get(new FileFact(FileWrite.parentOf(args.dest()))), ctx.check());
        return src != null && src.vaulted() ? b.build().withFileContentsHidden() : b.build();
    }

    /** A file read on the controller; {@code vaulted}: it was encrypted with ansible-vault, and is a secret. */
    record Local(byte[] bytes, boolean vaulted) {}

    /**
     * Reads {@code src} (found at {@code p}) on the controller, decrypting it when ansible-vault
     * encrypted it, as Ansible's copy and template do; the plaintext is a secret of the run.
     */
    static Local readLocal(String src, Path p) throws TaskException {
        if (Files.isDirectory(p)) throw new TaskException("src " + src + " is a directory (" + p + "); copy takes one file");
        if (!Files.isRegularFile(p)) throw new TaskException("src " + src + " not found on the controller (looked at " + p + ")");
        byte[] raw;
        try {
            raw = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new TaskException("cannot read src " + p + ": " + e.getMessage());
        }
        String head = new String(raw, 0, Math.min(raw.length, VaultText.HEADER.length()), StandardCharsets.US_ASCII);
        if (!VaultText.isEncrypted(head)) return new Local(raw, false);
        try {
            String plain = Vault.current().decrypt(new String(raw, StandardCharsets.US_ASCII));
            Vault.current().reveal(plain);
            return new Local(plain.getBytes(StandardCharsets.UTF_8), true);
        } catch (VaultException e) {
            throw new TaskException("src " + p + " is encrypted with Ansible Vault and cannot be decrypted: " + e.getMessage());
        }
    }
}
