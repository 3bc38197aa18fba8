package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.moat.facts.CommandFact;
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
 * A key in apt's trusted keys through {@code apt-key}, as Ansible's {@code apt_key} (deprecated by
 * apt, still in Debian 12 and Ubuntu 22.04; prefer {@code deb822_repository}'s {@code signed_by}).
 * The key comes from {@code url} (downloaded by the host), {@code file} (on the host) or
 * {@code data}; its id is {@code id} or, as Ansible does, the first key id in that material. It is
 * present when {@code apt-key adv --list-public-keys} lists that id (the last 16 hex digits, or 8 for a
 * short id), in {@code keyring} or in every trusted key. {@code keyserver} is refused by name (moat's
 * hosts may not reach one).
 *
 * <p>Undo: the keyring file {@code apt-key} writes ({@code keyring}, or {@code /etc/apt/trusted.gpg})
 * and gpg's {@code ~} backup of it are journaled and restored byte for byte.
 *
 * <pre>
 * - apt_key:
 *     url: https://nvidia.github.io/libnvidia-container/gpgkey
 *     state: present
 * </pre>
 */
public final class AptKey implements Module<AptKey.KeyArgs> {
    static final String TRUSTED = "/etc/apt/trusted.gpg";
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("id", ArgType.STRING),
            ArgSpec.optional("url", ArgType.STRING),
            ArgSpec.optional("data", ArgType.STRING),
            ArgSpec.optional("file", ArgType.STRING),
            ArgSpec.optional("keyring", ArgType.STRING),
            ArgSpec.optional("validate_certs", ArgType.BOOL, true),
            ArgSpec.optional("keyserver", ArgType.STRING),
            ArgSpec.choice("state", "present", "absent", "present"))
            .exclusive("data", "file", "keyserver", "url");

    /** Validated arguments: {@code id} upper-cased without 0x (null: from the material). */
    public record KeyArgs(String id, String url, String data, String file, String keyring, boolean validateCerts, boolean present) {
        String keyringFile() {
            return keyring == null ? TRUSTED : keyring;
        }

        String apt() {
            return "LC_ALL=C apt-key" + (keyring == null ? "" : " --keyring " + Sh.q(keyring));
        }
    }

    @Override
    public String name() {
        return "apt_key";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public KeyArgs bind(Args a) throws ArgException {
        if (a.has("keyserver")) throw new ArgException("keyserver", "keyserver is not supported by moat: give the key with url, file or data");
        String id = a.str("id");
        if (id != null) {
            id = id.strip().toUpperCase(Locale.ROOT);
            if (id.startsWith("0X")) id = id.substring(2);
            if (!id.matches("[0-9A-F]+") || (id.length() != 8 && id.length() != 16 && id.length() <= 16)) {
                throw new ArgException("id", "Invalid key_id: key_id must be 8, 16, or 16+ hexadecimal characters in length");
            }
        }
        String url = a.str("url");
        if (url != null && !url.matches("(?i)(https?|ftp)://\\S+")) throw new ArgException("url", "url '" + url + "' is not an http(s) or ftp URL");
        for (String p : new String[] {"file", "keyring"}) {
            if (a.str(p) != null && !a.str(p).startsWith("/")) throw new ArgException(p, p + " '" + a.str(p) + "' must be an absolute path on the host");
        }
        boolean present = a.str("state").equals("present");
        if (present && url == null && a.str("data") == null && a.str("file") == null) {
            throw new ArgException("url", "apt_key needs the key: url, file or data");
        }
        if (!present && id == null) throw new ArgException("id", "key is required to remove a key");
        return new KeyArgs(id, url, a.str("data"), a.str("file"), a.str("keyring"), a.bool("validate_certs"), present);
    }

    /** Shell that puts the key material in {@code $k} (a private temporary directory {@code $d}). */
    static String material(KeyArgs a) {
        String s = "d=$(mktemp -d) || exit 1\ntrap 'rm -rf \"$d\"' EXIT\nk=\"$d/key\"\n";
        if (a.file() != null) return s + "cp -- " + Sh.q(a.file()) + " \"$k\"";
        if (a.data() != null) return s + "printf '%s' " + Sh.q(a.data()) + " > \"$k\"";
        String u = Sh.q(a.url()) + (a.validateCerts() ? "" : "");
        return s + "if command -v curl >/dev/null 2>&1; then curl -q -fsSL " + (a.validateCerts() ? "" : "-k ") + "-o \"$k\" -- " + u + "\n"
                + "elif command -v wget >/dev/null 2>&1; then wget -q " + (a.validateCerts() ? "" : "--no-check-certificate ") + "-O \"$k\" -- " + u + "\n"
                + "else python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' " + u + " \"$k\"; fi";
    }

    static CommandFact fact(KeyArgs a) {
        String src = a.url() != null ? "url=" + a.url() : a.file() != null ? "file=" + a.file() : a.data() != null ? "data=" + Integer.toHexString(a.data().hashCode()) : "";
        // apt-key --keyring FILE creates FILE (empty) when it lists keys: a read must not write it.
        String guard = a.keyring() == null ? "" : "[ ! -e " + Sh.q(a.keyring()) + " ] || ";
        String script = "(\necho @@have\n" + guard + a.apt() + " adv --list-public-keys --keyid-format=long 2>/dev/null | awk '/^(pub|sub) / && !/expired/ {split($2, p, \"/\"); print p[2]}'\n";
        if (a.id() == null && a.present()) {
            script += material(a) + " || { echo @@fetch-failed; exit 0; }\n"
                    + "echo \"@@material $(gpg --batch --with-colons --show-keys \"$k\" 2>/dev/null | awk -F: '$1==\"pub\"{print $5; exit}')\"\n";
        }
        return new CommandFact(dev.moat.module.FactKeys.HOST + "aptkey:" + a.keyringFile() + ":" + (a.id() != null ? a.id() : src), script + ")");
    }

    /** The key ids listed after {@code @@have}, and the material's id ({@code @@material}), from the read. */
    record Read(List<String> have, String material, boolean fetchFailed) {}

    static Read parse(String out) {
        List<String> have = new ArrayList<>();
        String material = null;
        boolean failed = false;
        for (String l : out.split("\n")) {
            String t = l.strip();
            if (t.equals("@@fetch-failed")) failed = true;
            else if (t.startsWith("@@material")) material = t.substring("@@material".length()).strip().toUpperCase(Locale.ROOT);
            else if (t.matches("[0-9A-Fa-f]{8,}")) have.add(t.toUpperCase(Locale.ROOT));
        }
        return new Read(have, material == null || material.isEmpty() ? null : material, failed);
    }

    @Override
    public List<Fact<?>> reads(KeyArgs args) {
        return List.of(fact(args));
    }

    @Override
    public Plan plan(KeyArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Read r = parse(facts.get(fact(args)).stdout());
        String id = args.id();
        if (id == null) {
            if (r.fetchFailed()) throw new TaskException("error getting key id from " + (args.url() != null ? "url: " + args.url() : "file: " + args.file()));
            if (r.material() == null) throw new TaskException("Unable to extract key from '" + (args.data() != null ? "inline data" : args.file() != null ? args.file() : args.url()) + "'");
            id = r.material();
        }
        boolean shortId = id.length() == 8;
        String want = shortId ? id : id.substring(Math.max(0, id.length() - 16));
        boolean have = r.have().stream().anyMatch(k -> (shortId ? k.substring(Math.max(0, k.length() - 8)) : k).equals(want));
        Plan.Builder b = Plan.builder().result("id", id).result("fp", want).result("short_id", id.substring(id.length() - 8));
        if (args.present() == have) return b.build();
        String ring = args.keyringFile();
        if (args.present()) {
            b.step(Step.run("apt-key add " + id, "(\n" + material(args) + "\n" + args.apt() + " add \"$k\" >/dev/null\n)"));
        } else {
            b.step(Step.run("apt-key del " + id, args.apt() + " del " + Sh.q(id.substring(id.length() - 8)) + " >/dev/null"));
        }
        b.diff(Diff.of("apt key " + id, (have ? "present" : "absent") + " in " + ring + "\n", (args.present() ? "present" : "absent") + "\n"));
        b.undo(new Undo.RestorePath(ring)).undo(new Undo.RestorePath(ring + "~"));
        b.touches("file:" + ring);
        b.writes(ring);
        return b.build();
    }
}
