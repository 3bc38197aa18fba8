package dev.moat.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.inventory.Inventory;
import dev.moat.journal.Journal;
import dev.moat.modules.Modules;
import dev.moat.journal.Guard;
import dev.moat.journal.RemoteLock;
import dev.moat.repl.ChangeLock;
import dev.moat.repl.RemoteChangeLock;
import dev.moat.repl.Shell;
import dev.moat.repl.ShellSetup;
import dev.moat.runs.MoatHome;
import dev.moat.template.Templar;
import dev.moat.transport.Endpoint;
import dev.moat.transport.ssh.SshConnector;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moat shell HOST -i INVENTORY}: an interactive REPL on one host (see {@link Shell}). On a
 * terminal it is a JLine shell with completion and history; with stdin not a terminal (or
 * {@code --plain}) it reads commands line by line and prints plain text.
 */
@CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "shell",
        description = "Interactive REPL on one host: modules ad hoc (copy dest=/etc/motd content=hi), !commands, :facts, :undo.")
final class ShellCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOST", description = "The inventory host to work on.")
    String host;

    @Mixin
    InventoryOption inventory = new InventoryOption();

    @Option(names = {"-C", "--check"}, description = "Start in check mode (:check off to leave it).")
    boolean check;

    @Option(names = "--plain", description = "Read commands line by line and print plain text, even on a terminal.")
    boolean plain;

    @Option(names = "--journal-dir", paramLabel = "DIR", defaultValue = Journal.DEFAULT_DIR,
            description = "Where the host journals changes for :undo and rollback (default ${DEFAULT-VALUE}).")
    String journalDir;

    @Option(names = "--guard-timeout", defaultValue = "60", paramLabel = "S", converter = AtLeastOne.class,
            description = "Seconds after which an unconfirmed firewall change reverts itself (default ${DEFAULT-VALUE}).")
    int guardTimeout;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Templar.warmUp();
        conn.config = Cfg.load(spec.commandLine().getErr());
        conn.installVault();
        Inventory inv = inventory.load(conn.config);
        inv.requireHost(host);
        try (SshConnector ssh = new SshConnector(conn.settingsFor(inv, List.of(host), null))) {
            Map<String, Object> hostVars = conn.withDefaults(inv.templateVars(host));
            Endpoint endpoint = Endpoints.of(host, hostVars);
            char[] becomePassword = Endpoints.becomePassword(host, hostVars, java.util.Map.of(),
                    new Templar(inventory.baseDir(conn.config), null));
            // The lock beside the journal (/var/lib/moat), as apply and rollback take it; it sweeps the guards the shell arms.
            String lockDir = Path.of(journalDir).getParent() == null ? "/" : Path.of(journalDir).getParent().toString();
            ChangeLock lock = new RemoteChangeLock(new RemoteLock(lockDir, new Guard(ShellSetup.GUARD_DIR)));
            ShellSetup setup = new ShellSetup(inv, host, Modules.builtin(), () -> ssh.connect(endpoint, becomePassword), journalDir, ShellSetup.GUARD_DIR,
                    Duration.ofSeconds(guardTimeout), MoatHome.dir().resolve("history"), null, lock,
                    (out, color, diff, mask) -> new HumanPrinter(out, color, diff, 0, mask));
            Shell shell = new Shell(setup, check);
            boolean terminal = !plain && System.console() != null && System.getenv("TERM") != null
                    && !"dumb".equals(System.getenv("TERM"));
            return terminal ? shell.runTerminal() : shell.runPlain(System.in, spec.commandLine().getOut());
        } catch (IOException e) {
            throw new MoatException(ExitCode.USAGE, "cannot set up SSH: " + e.getMessage());
        }
    }
}
