package dev.moat.cli;

import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.moat.MoatException;
import dev.moat.engine.RunListener;
import dev.moat.transport.ssh.PassphrasePrompt;
import dev.moat.transport.ssh.SshSettings;
import picocli.CommandLine.Option;

/** How moat connects: the SSH options every command that reaches hosts shares. */
final class ConnectionOptions {
    @Option(names = "--accept-new-host-keys", description = "Accept and record unknown host keys (a changed key is always refused).")
    boolean acceptNewHostKeys;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--private-key", paramLabel = "FILE", description = "Private key to use for every host.")
    Path privateKey;

    @Option(names = {"-K", "--ask-become-pass"}, description = "Ask for the sudo password once.")
    boolean askBecomePass;

    @picocli.CommandLine.Mixin
    VaultOptions vault = new VaultOptions();

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "S", converter = AtLeastOne.class, description = "SSH connect timeout in seconds (default ${DEFAULT-VALUE}).")
    int timeout;

    /** The SSH settings these options make; {@code verbose} (or null) hears every command with its timing. */
    SshSettings settings(RunListener verbose) {
        return settings(verbose, java.util.Set.of());
    }

    /** The settings for reaching {@code hosts} of {@code inv}, trusting the known_hosts files their variables name. */
    SshSettings settingsFor(dev.moat.inventory.Inventory inv, java.util.Collection<String> hosts, RunListener verbose) {
        return settingsFor(inv, hosts, verbose, java.util.function.UnaryOperator.identity());
    }

    SshSettings settingsFor(dev.moat.inventory.Inventory inv, java.util.Collection<String> hosts, RunListener verbose,
                            java.util.function.UnaryOperator<String> mask) {
        java.util.Set<Path> files = new java.util.LinkedHashSet<>();
        for (String h : hosts) {
            Endpoints.checkSshArgs(h, inv.templateVars(h), acceptNewHostKeys);
            files.addAll(Endpoints.knownHostsFiles(inv.templateVars(h)));
        }
        return settings(verbose, files, mask);
    }

    /** As {@link #settings(RunListener)}, also trusting the known_hosts files the inventory names. */
    SshSettings settings(RunListener verbose, java.util.Set<Path> inventoryKnownHosts) {
        return settings(verbose, inventoryKnownHosts, java.util.function.UnaryOperator.identity());
    }

    /** With {@code mask} applied to each -vv command line before it is shortened. */
    SshSettings settings(RunListener verbose, java.util.Set<Path> inventoryKnownHosts, java.util.function.UnaryOperator<String> mask) {
        SshSettings s = SshSettings.defaults();
        java.util.List<Path> files = new java.util.ArrayList<>();
        if (knownHosts != null) files.add(knownHosts);
        files.addAll(inventoryKnownHosts);
        if (files.isEmpty()) files.addAll(s.knownHosts());
        s = new SshSettings(files, acceptNewHostKeys, s.privateKey(), s.passphrases(), s.becomePassword(), s.connectTimeout(),
                s.commandTimeout(), s.sshConfig(), s.defaultKeys(), s.listener());
        Console console = System.console();
        PassphrasePrompt prompt = console == null ? PassphrasePrompt.NONE
                : keyFile -> console.readPassword("Passphrase for %s: ", keyFile);
        s = s.withKeys(privateKey, s.defaultKeys(), prompt);
        if (askBecomePass) {
            if (console == null) throw MoatException.usage("--ask-become-pass needs a terminal to ask on");
            s = s.withBecomePassword(console.readPassword("BECOME password: "));
        }
        s = s.withTimeouts(Duration.ofSeconds(timeout), null);
        if (verbose != null) {
            AtomicInteger n = new AtomicInteger();
            s = new SshSettings(s.knownHosts(), s.acceptNewHostKeys(), s.privateKey(), s.passphrases(), s.becomePassword(),
                    s.connectTimeout(), s.commandTimeout(), s.sshConfig(), s.defaultKeys(),
                    (host, script, took, rc) -> verbose.detail(host, "#" + n.incrementAndGet() + " exit " + rc + " in "
                            + took.toMillis() + " ms: " + firstLine(mask.apply(script))));
        }
        return s;
    }

    private static String firstLine(String script) {
        String s = script.strip();
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl) + " ... (" + s.lines().count() + " lines)";
        return first.length() > 160 ? first.substring(0, 160) + "..." : first;
    }
}
