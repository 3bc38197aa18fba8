package dev.moat.cli;

import java.io.PrintWriter;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** moat's entry point: picocli subcommands, one handler that maps errors to the README's exit codes. */
@Command(name = "moat", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Agentless SSH provisioning that locks GPU inference servers against shadow-inference bots.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order help lists them. picocli builds a command's model by reflection
     * over its options and mixins (about a third of a second of CPU for all of them), so a run builds
     * only the one it was asked for; help, completion, a mistyped name (suggestions) and no name at
     * all get every one.
     */
    private static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, java.util.function.Supplier<Object>> subcommands() {
        java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        m.put("apply", ApplyCommand::new);
        m.put("check", CheckCommand::new);
        m.put("rollback", RollbackCommand::new);
        m.put("scan", ScanCommand::new);
        m.put("shell", ShellCommand::new);
        m.put("inventory", InventoryCommand::new);
        m.put("config", ConfigCommand::new);
        m.put("runs", RunsCommand::new);
        m.put("completion", CompletionCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /** The one subcommand {@code args} run, when it needs no other: its name is the first argument that is no option. */
    static String only(String[] args) {
        for (String a : args) {
            if (a.startsWith("-")) continue;
            return SUBCOMMANDS.containsKey(a) && !a.equals("help") && !a.equals("completion") ? a : null;
        }
        return null;
    }

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try 'moat --help')");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs moat in-process with the given writers: what tests call. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        dev.moat.StartupTrace.mark("main");
        Main main = new Main();
        String only = only(args);
        if ("apply".equals(only) || "check".equals(only)) {
            // What a playbook run needs before its first connection, built on other threads while
            // this one builds the command line and reads the inventory and the playbook.
            dev.moat.template.Templar.warmUp();
            dev.moat.transport.ssh.SshConnector.warmUp();
        }
        dev.moat.StartupTrace.mark("warm-ups started");
        CommandLine cl = new CommandLine(main);
        dev.moat.StartupTrace.mark("picocli: moat");
        for (java.util.Map.Entry<String, java.util.function.Supplier<Object>> e : SUBCOMMANDS.entrySet()) {
            if (only == null || only.equals(e.getKey())) cl.addSubcommand(e.getValue().get());
        }
        dev.moat.StartupTrace.mark("picocli: subcommand");
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // -e @vars.yml is Ansible's extra-vars file, not picocli's argument file.
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("moat: " + ex.getMessage() + " (exit " + ExitCode.USAGE + ")");
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = main.debug || java.util.Arrays.asList(args).contains("--debug");
            // An error message may quote a value read from a vaulted file: mask what the vault revealed.
            dev.moat.template.Secrets revealed = new dev.moat.template.Secrets();
            dev.moat.vault.Vault.current().onReveal(revealed::add);
            if (ex instanceof MoatException me) {
                err.println("moat: " + revealed.mask(me.getMessage()) + " (exit " + me.exitCode() + ")");
                if (debug) ex.printStackTrace(err);
                return me.exitCode();
            }
            err.println("moat: internal error: " + revealed.mask(String.valueOf(ex)) + " (exit 1)" + (debug ? "" : "; run with --debug for details"));
            if (debug) ex.printStackTrace(err);
            return ExitCode.FAILED;
        });
        dev.moat.StartupTrace.mark("command line built");
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
