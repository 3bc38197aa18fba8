package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
 * Renders a Jinja template from the controller ({@code src}, absolute or under the playbook's
 * {@code templates/}) with the task's variables and puts the result on the host exactly as
 * {@code copy} does (atomic, {@code validate}, undo restores the previous file). {@code force: false}
 * leaves a file that already exists at {@code dest} alone.
 *
 * <pre>
 * - template:
 *     src: vhost.conf.j2
 *     dest: /etc/nginx/sites-available/{{ item.name }}
 *     mode: "0644"
 * </pre>
 */
public final class Template implements Module<Template.TemplateArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("src", ArgType.STRING),
            ArgSpec.required("dest", ArgType.STRING).withAliases("path"),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING),
            ArgSpec.optional("validate", ArgType.STRING),
            ArgSpec.optional("force", ArgType.BOOL, true));

    /** Validated arguments; {@code force} false: a file already at {@code dest} is left as it is (Ansible's). */
    public record TemplateArgs(String src, String dest, Attrs attrs, String validate, boolean force) {
        public TemplateArgs(String src, String dest, Attrs attrs, String validate) {
            this(src, dest, attrs, validate, true);
        }
    }

    @Override
    public String name() {
        return "template";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public TemplateArgs bind(Args a) throws ArgException {
        String rawDest = a.str("dest");
        String dest = Paths.absolute("dest", rawDest);
        if (rawDest.endsWith("/")) {
            String base = Paths.basename(a.str("src"));
            if (base.endsWith(".j2")) base = base.substring(0, base.length() - 3);
            dest = (dest.equals("/") ? "" : dest) + "/" + base;
        }
        return new TemplateArgs(a.str("src"), dest, Attrs.of(a), Copy.validate(a), a.bool("force"));
    }

    @Override
    public List<Fact<?>> reads(TemplateArgs args) {
        return TextFile.reads(args.dest());
    }

    @Override
    public Plan plan(TemplateArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (!args.force() && facts.get(new FileFact(args.dest())).exists()) return Plan.converged();
        Copy.Local src = Copy.readLocal(args.src(), ctx.localPath(args.src(), "templates"));
        String text = FileState.textOf(src.bytes());
        if (text == null) throw new TaskException("template " + args.src() + " is not UTF-8 text");
        byte[] content = ctx.render(text).getBytes(StandardCharsets.UTF_8);
        Plan.Builder b = Plan.builder();
        FileWrite.plan(b, args.dest(), content, args.attrs(), args.validate(),
                facts.get(new FileFact(args.dest())), facts.get(new FileFact(FileWrite.parentOf(args.dest()))), ctx.check());
        return src.vaulted() ? b.build().withFileContentsHidden() : b.build();
    }
}
