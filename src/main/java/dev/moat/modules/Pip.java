package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import dev.moat.modules.pip.PipFact;
import dev.moat.modules.pip.PipState;
import dev.moat.transport.Sh;

/**
 * Python packages in a virtualenv, as {@code ansible.builtin.pip}: {@code name} (a list, with
 * version specifiers) or {@code requirements}, {@code state} present, absent, latest or
 * forcereinstall, {@code extra_args}, {@code version}, {@code editable}, {@code chdir},
 * {@code umask}; a missing virtualenv is made with {@code virtualenv_command} first.
 *
 * <p>Whether a host is converged is pip's own answer, read with the play's other reads:
 * {@code pip install --dry-run --report} with the task's arguments (Ansible's real run calls it
 * changed when pip prints "Successfully installed"; its check mode answers "changed" whenever
 * {@code extra_args}, {@code requirements} or {@code latest} is given, moat's reads the dry run).
 * {@code absent} uninstalls the named packages the virtualenv holds, by name.
 *
 * <p>Differences from Ansible, by design: {@code virtualenv_command} defaults to
 * {@code python3 -m venv} (Ansible's default is {@code virtualenv}, a tool Debian 12 does not
 * install: Ansible then fails with "Failed to find required executable"). pip into the system
 * Python is refused: Debian 12's is externally managed (PEP 668), so pip itself refuses it and
 * Ansible passes pip's "externally-managed-environment" error on; and moat could not undo it.
 * {@code executable} is accepted only as the pip of a virtualenv ({@code DIR/bin/pip...}).
 * Undo: the virtualenv restored byte for byte (its package set with it), or removed when the run
 * created it.
 *
 * <pre>
 * - pip:
 *     name: [requests==2.31.0, "flask>=2,<3"]
 *     virtualenv: /opt/app/venv
 *     extra_args: --no-index --find-links /srv/wheels
 * </pre>
 */
public final class Pip implements Module<Pip.PipArgs> {
    static final String DEFAULT_VENV = "python3 -m venv";

    static final Spec SPEC = Spec.of(
            ArgSpec.optional("name", ArgType.LIST),
            ArgSpec.optional("version", ArgType.STRING),
            ArgSpec.optional("requirements", ArgType.STRING),
            ArgSpec.optional("virtualenv", ArgType.STRING),
            ArgSpec.optional("virtualenv_site_packages", ArgType.BOOL, false),
            ArgSpec.optional("virtualenv_command", ArgType.STRING, DEFAULT_VENV),
            ArgSpec.optional("virtualenv_python", ArgType.STRING),
            ArgSpec.choice("state", "present", "present", "absent", "latest", "forcereinstall"),
            ArgSpec.optional("extra_args", ArgType.STRING),
            ArgSpec.optional("editable", ArgType.BOOL, false),
            ArgSpec.optional("chdir", ArgType.STRING),
            ArgSpec.optional("executable", ArgType.STRING),
            ArgSpec.optional("umask", ArgType.STRING))
            .oneOf("name", "requirements")
            .exclusive("name", "requirements")
            .exclusive("executable", "virtualenv");

    /**
     * Validated arguments: {@code venv} the virtualenv's absolute path, {@code pip} a pip named by
     * {@code executable} (else null), {@code packages} the requirement strings as pip gets them,
     * {@code extra} the extra arguments' words, {@code create} the virtualenv command's words.
     */
    public record PipArgs(String venv, String pip, List<String> packages, String requirements, String state,
                          List<String> extra, List<String> create, String chdir, String umask, String version) {
        public PipArgs {
            packages = List.copyOf(packages);
            extra = List.copyOf(extra);
            create = List.copyOf(create);
        }

        /** The words after {@code pip}: what the apply runs and, for installs, what the dry run reads. */
        List<String> command() {
            List<String> c = new ArrayList<>();
            switch (state) {
                case "absent" -> c.addAll(List.of("uninstall", "-y"));
                case "latest" -> c.addAll(List.of("install", "-U"));
                case "forcereinstall" -> c.addAll(List.of("install", "-U", "--force-reinstall"));
                default -> c.add("install");
            }
            c.addAll(extra);
            if (requirements != null) c.addAll(List.of("-r", requirements));
            else c.addAll(packages);
            return c;
        }
    }

    @Override
    public String name() {
        return "pip";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public PipArgs bind(Args a) throws ArgException {
        String state = a.str("state", "present");
        String version = a.str("version");
        if ("latest".equals(state) && version != null) throw new ArgException("version", "version is incompatible with state=latest");
        String chdir = a.str("chdir");
        if (chdir != null && !chdir.startsWith("/")) throw new ArgException("chdir", "chdir must be an absolute path on the host: '" + chdir + "'");
        String venv = a.str("virtualenv");
        String pip = a.str("executable");
        if (venv != null) {
            if (!venv.startsWith("/")) {
                if (chdir == null) throw new ArgException("virtualenv", "virtualenv must be an absolute path (or relative to chdir): '" + venv + "'");
                venv = chdir + "/" + venv;
            }
            venv = venv.replaceAll("/+$", "");
        } else if (pip != null && pip.matches("/.+/bin/pip[0-9.]*")) {
            venv = pip.substring(0, pip.lastIndexOf("/bin/"));
        } else {
            throw new ArgException(pip == null ? "virtualenv" : "executable", "pip without a virtualenv is not supported by moat: "
                    + "Debian 12's system Python is externally managed (PEP 668), pip refuses to install into it "
                    + "(Ansible runs pip and fails with pip's 'externally-managed-environment' error), and moat could not undo it; "
                    + "give virtualenv: DIR (or executable: DIR/bin/pip of a virtualenv)");
        }
        if (venv.isEmpty() || venv.indexOf('\n') >= 0 || venv.indexOf('\0') >= 0) throw new ArgException("virtualenv", "not a path: '" + venv + "'");
        String requirements = a.str("requirements");
        if (requirements != null && "absent".equals(state)) {
            throw new ArgException("requirements", "state=absent with requirements is not supported by moat: it reads which named packages are installed, and a requirements file names none to the plan");
        }
        List<String> packages = recover(a.strings("name"));
        if (version != null) {
            if (packages.size() > 1) {
                throw new ArgException("version", "'version' argument is ambiguous when installing multiple package distributions. "
                        + "Please specify version restrictions next to each package in 'name' argument.");
            }
            if (hasSpecifier(packages.get(0))) {
                throw new ArgException("version", "The 'version' argument conflicts with any version specifier provided along with a package name. "
                        + "Please keep the version specifier, but remove the 'version' argument.");
            }
            String v = version.strip();
            packages = List.of(packages.get(0) + (!v.isEmpty() && Character.isDigit(v.charAt(0)) ? "==" : " ") + v);
        }
        List<String> extra = new ArrayList<>();
        try {
            if (a.str("extra_args") != null) extra.addAll(Shlex.split(a.str("extra_args")));
        } catch (IllegalArgumentException e) {
            throw new ArgException("extra_args", "extra_args: " + e.getMessage());
        }
        if (a.bool("editable") && !extra.contains("-e")) extra.add("-e");
        List<String> create = new ArrayList<>();
        try {
            create.addAll(Shlex.split(a.str("virtualenv_command", DEFAULT_VENV)));
        } catch (IllegalArgumentException e) {
            throw new ArgException("virtualenv_command", "virtualenv_command: " + e.getMessage());
        }
        if (create.isEmpty()) throw new ArgException("virtualenv_command", "virtualenv_command is empty");
        String command = String.join(" ", create);
        if (a.bool("virtualenv_site_packages")) create.add("--system-site-packages");
        String python = a.str("virtualenv_python");
        if (command.contains("pyvenv") || command.contains("-m venv")) {
            if (python != null) throw new ArgException("virtualenv_python", "virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command");
        } else {
            create.add("-p" + (python != null ? python : "python3"));
        }
        String umask = a.str("umask");
        if (umask != null && !umask.matches("0?[0-7]{1,3}")) throw new ArgException("umask", "umask must be an octal integer");
        return new PipArgs(venv, pip, packages, requirements, state, extra, create, chdir == null ? "/tmp" : chdir, umask, version);
    }

    /** Ansible's _recover_package_name: list items split at commas, version specifiers joined back to their package. */
    static List<String> recover(List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String n : names) parts.addAll(List.of(n.split(",", -1)));
        List<String> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        boolean inBrackets = false;
        for (String p : parts) {
            if (!hasSpecifierStart(p) && !inBrackets) {
                if (!current.isEmpty()) out.add(String.join(",", current));
                current = new ArrayList<>();
            }
            if (p.contains("[")) inBrackets = true;
            if (inBrackets && p.contains("]")) inBrackets = false;
            current.add(p);
        }
        out.add(String.join(",", current));
        List<String> cleaned = new ArrayList<>();
        for (String s : out) if (!s.isBlank()) cleaned.add(s.strip());
        return cleaned;
    }

    private static boolean hasSpecifierStart(String s) {
        String t = s.stripLeading();
        for (String op : List.of(">=", "<=", ">", "<", "==", "!=", "~=")) if (t.startsWith(op)) return true;
        return false;
    }

    private static boolean hasSpecifier(String requirement) {
        return requirement.matches("[^<>=!~]*[<>=!~].*");
    }

    @Override
    public List<Fact<?>> reads(PipArgs args) {
        return List.of(fact(args));
    }

    static PipFact fact(PipArgs args) {
        List<String> command = args.command();
        return new PipFact(args.venv(), args.pip(), args.chdir(), "absent".equals(args.state()) ? null : command.subList(1, command.size()));
    }

    @Override
    public Plan plan(PipArgs args, Facts facts, PlanContext ctx) throws TaskException {
        PipState s = facts.get(fact(args));
        Plan.Builder b = Plan.builder();
        List<String> cmd = new ArrayList<>();
        cmd.add(args.pip() != null ? args.pip() : s.pip() != null ? s.pip() : args.venv() + "/bin/pip3");
        cmd.addAll(args.command());
        b.result("cmd", cmd).result("name", args.packages().isEmpty() ? null : args.packages()).result("version", args.version())
         .result("state", args.state()).result("requirements", args.requirements()).result("virtualenv", args.venv());
        if (s.exists() && s.pip() == null) {
            throw new TaskException("Unable to find pip in the virtualenv, " + args.venv() + ", under any of these names: "
                    + (args.pip() != null ? args.pip() : "pip3, pip") + ". Make sure pip is present in the virtualenv.");
        }
        if (!s.exists() && args.pip() != null) throw new TaskException("Unable to find " + args.pip() + ": virtualenv " + args.venv() + " does not exist");
        List<String> before = s.freeze().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        List<String> after;
        if (!s.exists()) {
            after = new ArrayList<>(List.of("(virtualenv " + args.venv() + " created)"));
            if (!"absent".equals(args.state())) after.addAll(args.requirements() != null ? List.of("-r " + args.requirements()) : args.packages());
        } else if ("absent".equals(args.state())) {
            Map<String, String> installed = s.installed();
            List<String> gone = new ArrayList<>();
            for (String p : args.packages()) {
                String name = PipState.canonical(p.split("[\\s\\[<>=!~;@]", 2)[0]);
                if (installed.containsKey(name)) gone.add(name);
            }
            if (gone.isEmpty()) return b.build();
            after = before.stream().filter(l -> !gone.contains(PipState.canonical(l.substring(0, l.indexOf("=="))))).toList();
        } else {
            if (s.installs() == null) {
                String err = s.dryError().isEmpty() ? "exit " + s.dryRc() : s.dryError();
                throw new TaskException("pip install --dry-run " + String.join(" ", args.command().subList(1, args.command().size()))
                        + " failed in " + args.venv() + ":\n" + err);
            }
            if (s.installs().isEmpty() && !"forcereinstall".equals(args.state())) return b.build();
            after = s.after(s.installs());
        }
        b.diff(Diff.of("packages in " + args.venv(), lines(before), lines(after)));
        b.undo(new Undo.RestorePath(args.venv()));
        String prefix = "cd " + Sh.q(args.chdir()) + " || exit 1\n" + (args.umask() == null ? "" : "umask " + args.umask() + "\n");
        if (!s.exists()) {
            b.step(Step.run("create virtualenv " + args.venv(), prefix + words(args.create()) + " " + Sh.q(args.venv())));
        }
        b.step(Step.run("pip " + String.join(" ", args.command()), prefix + "PATH=" + Sh.q(args.venv() + "/bin") + ":\"$PATH\"; export PATH\n"
                + (args.pip() != null ? Sh.q(args.pip()) : "if [ -x " + Sh.q(args.venv() + "/bin/pip3") + " ]; then p=" + Sh.q(args.venv() + "/bin/pip3")
                        + "; else p=" + Sh.q(args.venv() + "/bin/pip") + "; fi\n\"$p\"")
                + " " + words(args.command()) + " --disable-pip-version-check"));
        b.touches("file:" + args.venv());
        return b.build();
    }

    private static String words(List<String> words) {
        StringBuilder s = new StringBuilder();
        for (String w : words) s.append(s.length() == 0 ? "" : " ").append(Sh.q(w));
        return s.toString();
    }

    private static String lines(List<String> l) {
        return l.isEmpty() ? "" : String.join("\n", l) + "\n";
    }
}
