package dev.moat.cli;

import java.util.concurrent.Callable;

import dev.moat.MoatException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code moat completion bash|zsh}: picocli's generated completion script (zsh through bashcompinit). */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "completion", description = "Print a shell completion script: eval \"$(moat completion bash)\".")
final class CompletionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) throw MoatException.usage("completion: unknown shell '" + shell + "'; expected bash or zsh");
        String script = AutoComplete.bash("moat", spec.parent().commandLine());
        if (shell.equals("zsh")) script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
