package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.facts.CommandFact;
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
import dev.moat.modules.system.DirFilesFact;
import dev.moat.modules.system.KmodFact;
import dev.moat.transport.Sh;

/**
 * A kernel module loaded or not, and its persistent configuration, as
 * {@code community.general.modprobe}: {@code state} loads ({@code modprobe NAME PARAMS}) or unloads
 * ({@code modprobe -r}) by what /proc/modules and modules.builtin say; {@code persistent: present}
 * writes {@code /etc/modules-load.d/NAME.conf} when no file there names the module, and
 * {@code /etc/modprobe.d/NAME.conf} ({@code options NAME k=v} lines) when the options set in
 * /etc/modprobe.d differ from {@code params}, commenting out the old ones; {@code absent}
 * comments out the module's lines in both directories. Files are rewritten as Ansible rewrites
 * them, its doubled line ends ({@code '\n'.join} of lines that keep theirs) included.
 *
 * <p>Undo: every file restored byte for byte; loading or unloading a module cannot be undone (named
 * in the plan). Where the host has no /proc/modules (a kernel without loadable modules) Ansible fails;
 * moat then judges by modules.builtin alone and fails only when that is missing too. Ansible also
 * fails first on a host without the modprobe binary (kmod); moat fails so, with Ansible's message,
 * only where it would run modprobe or cannot tell what is loaded.
 *
 * <pre>
 * - modprobe:
 *     name: nvidia_uvm
 *     state: present
 *     persistent: present
 * </pre>
 */
public final class Modprobe implements Module<Modprobe.ModprobeArgs> {
    static final String LOAD_DIR = "/etc/modules-load.d";
    static final String OPTIONS_DIR = "/etc/modprobe.d";

    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.choice("state", "present", "absent", "present"),
            ArgSpec.optional("params", ArgType.STRING, ""),
            ArgSpec.choice("persistent", "disabled", "disabled", "present", "absent"));

    /** Where modprobe is on the host, else the host's PATH (for Ansible's message). */
    static final CommandFact MODPROBE = new CommandFact("cmd:modprobe", "command -v modprobe || echo \"PATH=$PATH\"");

    /** Validated arguments. */
    public record ModprobeArgs(String name, boolean present, String params, String persistent) {}

    @Override
    public String name() {
        return "modprobe";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ModprobeArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_-]*")) throw new ArgException("name", "'" + name + "' is not a kernel module name");
        String params = a.str("params");
        try {
            Shlex.split(params);
        } catch (IllegalArgumentException e) {
            throw new ArgException("params", "params cannot be split into words: " + e.getMessage());
        }
        return new ModprobeArgs(name, "present".equals(a.str("state")), params, a.str("persistent"));
    }

    @Override
    public List<Fact<?>> reads(ModprobeArgs args) {
        List<Fact<?>> r = new ArrayList<>(List.of(new KmodFact(args.name()), MODPROBE));
        if (!args.persistent().equals("disabled")) {
            r.addAll(List.of(new DirFilesFact(LOAD_DIR), new DirFilesFact(OPTIONS_DIR), new FileFact(LOAD_DIR), new FileFact(OPTIONS_DIR),
                    new FileFact(LOAD_DIR + "/" + args.name() + ".conf"), new FileFact(OPTIONS_DIR + "/" + args.name() + ".conf")));
        }
        return r;
    }

    /**
     * Ansible's modprobe looks for the binary before anything else and fails without it; moat needs
     * it only to load, unload, or where the kernel cannot say what is loaded, and then fails as Ansible.
     */
    static void requireModprobe(String read) throws TaskException {
        if (!read.startsWith("PATH=")) return;
        List<String> paths = new ArrayList<>(Arrays.asList(read.strip().substring(5).split(":", -1)));
        for (String sbin : List.of("/sbin", "/usr/sbin", "/usr/local/sbin")) if (!paths.contains(sbin)) paths.add(sbin);
        throw new TaskException("Failed to find required executable \"modprobe\" in paths: " + String.join(":", paths));
    }

    @Override
    public Plan plan(ModprobeArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String n = args.name();
        KmodFact.Loaded loaded = facts.get(new KmodFact(n));
        boolean isLoaded = loaded != KmodFact.Loaded.NO;
        if (loaded == KmodFact.Loaded.UNREADABLE || args.present() != isLoaded) requireModprobe(facts.get(MODPROBE).stdout());
        if (loaded == KmodFact.Loaded.UNREADABLE) {
            throw new TaskException("[Errno 2] No such file or directory: '/proc/modules' (and no modules.builtin): this kernel cannot tell which modules are loaded");
        }
        Plan.Builder b = Plan.builder().result("name", n).result("params", args.params()).result("state", args.present() ? "present" : "absent");
        if (args.present() && !isLoaded) {
            StringBuilder cmd = new StringBuilder("modprobe -- " + Sh.q(n));
            for (String w : Shlex.split(args.params())) cmd.append(' ').append(Sh.q(w));
            b.step(Step.run("load kernel module " + n, cmd.toString()));
            b.diff(Diff.of("kernel module " + n, "not loaded\n", "loaded\n"));
            b.undo(new Undo.Irreversible("loading kernel module " + n));
        } else if (!args.present() && isLoaded) {
            b.step(Step.run("unload kernel module " + n, "modprobe -r -- " + Sh.q(n)));
            b.diff(Diff.of("kernel module " + n, "loaded\n", "not loaded\n"));
            b.undo(new Undo.Irreversible("unloading kernel module " + n));
        }
        if (args.persistent().equals("disabled")) return b.build();

        Map<String, FileState> loads = facts.get(new DirFilesFact(LOAD_DIR));
        Map<String, FileState> options = facts.get(new DirFilesFact(OPTIONS_DIR));
        Pattern module = Pattern.compile(" *" + Pattern.quote(n) + " *(?:[#;].*)?\n?");
        Pattern option = Pattern.compile("options " + Pattern.quote(n) + " (\\w+=\\S+) *(?:[#;].*)?\n?");
        boolean persistently = anyLine(loads, module);
        Set<String> permanent = permanentParams(options, option);
        Set<String> desired = new LinkedHashSet<>(Arrays.asList(args.params().strip().isEmpty() ? new String[0] : args.params().strip().split("\\s+")));
        boolean paramsSet = desired.equals(permanent);
        Map<String, byte[]> writes = new LinkedHashMap<>();
        if (args.persistent().equals("present") && !(persistently && paramsSet)) {
            if (!persistently) writes.put(LOAD_DIR + "/" + n + ".conf", (n + "\n").getBytes(StandardCharsets.UTF_8));
            if (!paramsSet) {
                writes.putAll(commentOut(options, option));
                StringBuilder content = new StringBuilder();
                for (String p : args.params().strip().isEmpty() ? new String[0] : args.params().strip().split("\\s+")) {
                    if (content.length() > 0) content.append('\n');
                    content.append("options ").append(n).append(' ').append(p);
                }
                writes.put(OPTIONS_DIR + "/" + n + ".conf", content.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            }
        } else if (args.persistent().equals("absent") && (persistently || !permanent.isEmpty())) {
            if (persistently) writes.putAll(commentOut(loads, module));
            if (!permanent.isEmpty()) writes.putAll(commentOut(options, option));
        }
        for (Map.Entry<String, byte[]> w : writes.entrySet()) {
            String path = w.getKey();
            String dir = FileWrite.parentOf(path);
            FileState cur = (dir.equals(LOAD_DIR) ? loads : options).get(path);
            if (cur == null) cur = facts.get(new FileFact(path));
            FileWrite.plan(b, path, w.getValue(), Attrs.NONE, null, cur, facts.get(new FileFact(dir)), ctx.check());
        }
        return b.build();
    }

    private static boolean anyLine(Map<String, FileState> files, Pattern p) {
        for (FileState f : files.values()) {
            for (String line : lines(f)) if (p.matcher(line).matches()) return true;
        }
        return false;
    }

    private static Set<String> permanentParams(Map<String, FileState> files, Pattern p) {
        Set<String> params = new LinkedHashSet<>();
        for (FileState f : files.values()) {
            for (String line : lines(f)) {
                Matcher m = p.matcher(line);
                if (m.matches()) params.add(m.group(1));
            }
        }
        return params;
    }

    /** Ansible's rewrite: matching lines prefixed with {@code #}, the lines (ends kept) joined with {@code \n}. */
    private static Map<String, byte[]> commentOut(Map<String, FileState> files, Pattern p) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (FileState f : files.values()) {
            List<String> lines = new ArrayList<>(lines(f));
            boolean changed = false;
            for (int i = 0; i < lines.size(); i++) {
                if (p.matcher(lines.get(i)).matches()) {
                    lines.set(i, "#" + lines.get(i));
                    changed = true;
                }
            }
            if (changed) out.put(f.path(), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Python's {@code readlines()}: each line with its {@code \n}, the last one without when the file lacks it. */
    static List<String> lines(FileState f) {
        String text = f.content() == null ? null : FileState.textOf(f.content());
        return text == null ? new ArrayList<>() : lines(text);
    }

    /** The lines of {@code text} as Python's {@code readlines()} splits them. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) lines.add(text.substring(start));
        return lines;
    }
}
