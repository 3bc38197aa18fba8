package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
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

/**
 * A {@code blacklist NAME} line in a modprobe.d file, as {@code community.general.kernel_blacklist}:
 * appended when no uncommented line blacklists the module, removed (every such line) for
 * {@code state: absent}; the file is rewritten with each line's trailing blanks stripped, and a
 * missing file is created (empty for {@code absent}), as Ansible does. Nothing is unloaded: the
 * blacklist takes effect at the next boot. Undo: the file restored byte for byte.
 *
 * <pre>
 * - kernel_blacklist:
 *     name: nouveau
 *     blacklist_file: /etc/modprobe.d/blacklist-nouveau.conf
 * </pre>
 */
public final class KernelBlacklist implements Module<KernelBlacklist.BlacklistArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("blacklist_file", ArgType.STRING, "/etc/modprobe.d/blacklist-ansible.conf"));

    /** Validated arguments. */
    public record BlacklistArgs(String name, boolean present, String file) {}

    @Override
    public String name() {
        return "kernel_blacklist";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public BlacklistArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_-]*")) throw new ArgException("name", "'" + name + "' is not a kernel module name");
        String file = a.str("blacklist_file");
        if (!file.startsWith("/")) throw new ArgException("blacklist_file", "blacklist_file must be an absolute path: '" + file + "'");
        return new BlacklistArgs(name, "present".equals(a.str("state")), file);
    }

    @Override
    public List<Fact<?>> reads(BlacklistArgs args) {
        return TextFile.reads(args.file());
    }

    @Override
    public Plan plan(BlacklistArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState cur = facts.get(new FileFact(args.file()));
        if (cur.exists() && (!cur.isFile() || cur.text() == null)) throw new TaskException(args.file() + " is not a text file");
        Pattern line = Pattern.compile("^blacklist\\s+" + Pattern.quote(args.name()) + "$");
        List<String> lines = new ArrayList<>();
        if (cur.isFile()) for (String l : LineInFile.split(cur.text())) lines.add(l.stripTrailing());
        boolean blocked = lines.stream().map(String::strip).anyMatch(l -> !l.startsWith("#") && line.matcher(l).matches());
        boolean changed = !cur.exists();
        if (args.present() && !blocked) {
            lines.add("blacklist " + args.name());
            changed = true;
        } else if (!args.present() && blocked) {
            lines.removeIf(l -> line.matcher(l.strip()).matches());
            changed = true;
        }
        Plan.Builder b = Plan.builder().result("name", args.name()).result("state", args.present() ? "present" : "absent");
        if (!changed) return b.build();
        StringBuilder out = new StringBuilder();
        for (String l : lines) out.append(l).append('\n');
        FileWrite.plan(b, args.file(), out.toString().getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, cur,
                facts.get(new FileFact(FileWrite.parentOf(args.file()))), ctx.check());
        return b.build();
    }
}
