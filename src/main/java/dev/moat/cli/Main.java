package dev.moat.cli;

import java.io.PrintWriter;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** moat's entry point: picocli subcommands, one handler that maps errors to the README's exit codes. */
@Command(name = "moat", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Agentless SSH provisioning that locks GPU inference servers against shadow-inference bots.",
        subcommands = {ApplyCommand.class, CheckCommand.class, RollbackCommand.class, ScanCommand.class, ShellCommand.class,
                InventoryCommand.class, ConfigCommand.class, RunsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
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
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
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
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
