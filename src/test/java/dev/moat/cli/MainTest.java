package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import dev.moat.ExitCode;

/** The top-level command in-process: --version, completion scripts, usage errors. */
class MainTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionFallsBackToDevWithoutAManifest() {
        Run r = run("--version");
        assertEquals(0, r.code());
        // Run from classes (no jar manifest) the version is "dev"; from the shaded jar, its Implementation-Version.
        String v = Main.class.getPackage().getImplementationVersion();
        assertEquals("moat " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")", r.out().strip());
        assertEquals(r.out(), run("runs", "--version").out(), "every subcommand answers --version the same way");
    }

    @Test
    void bashCompletionNamesEverySubcommand() {
        Run r = run("completion", "bash");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().length() > 1000, "a real script");
        assertTrue(r.out().contains("complete -F"), "registered with bash's complete");
        for (String sub : new String[] {"apply", "check", "rollback", "runs", "scan", "shell", "inventory", "completion"}) {
            assertTrue(r.out().contains(sub), sub);
        }
        assertTrue(r.out().contains("--skip-tags"), "options of subcommands complete too");
    }

    @Test
    void zshCompletionLoadsBashcompinitAndAnUnknownShellIsAUsageError() {
        Run zsh = run("completion", "zsh");
        assertEquals(0, zsh.code());
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out().substring(0, 60));
        Run fish = run("completion", "fish");
        assertEquals(ExitCode.USAGE, fish.code());
        assertTrue(fish.err().contains("unknown shell 'fish'"), fish.err());
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        assertEquals(ExitCode.USAGE, run().code());
        Run r = run("aply");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("apply"), "suggests the closest command: " + r.err());
    }

    @Test
    void aRunBuildsOnlyItsOwnSubcommandAndHelpStillListsEvery() {
        assertEquals("check", Main.only(new String[] {"--debug", "check", "site.yml", "-i", "inv"}));
        assertEquals("apply", Main.only(new String[] {"apply", "--help"}));
        assertNull(Main.only(new String[] {"help", "check"}), "help names every command");
        assertNull(Main.only(new String[] {"completion", "bash"}), "completion scripts name every command");
        assertNull(Main.only(new String[] {"aply"}), "a mistyped name gets suggestions from every command");
        assertNull(Main.only(new String[] {"--version"}));
        Run help = run("--help");
        assertEquals(0, help.code(), help.err());
        for (String sub : new String[] {"apply", "check", "rollback", "runs", "scan", "shell", "inventory", "config", "completion", "help"}) {
            assertTrue(help.out().contains("  " + sub), sub + " in: " + help.out());
        }
        Run checkHelp = run("check", "--help");
        assertEquals(0, checkHelp.code(), checkHelp.err());
        assertTrue(checkHelp.out().contains("--skip-tags"), checkHelp.out());
        Run debug = run("--debug", "runs", "--help");
        assertEquals(0, debug.code(), "an inherited option before the command: " + debug.err());
    }
}
