package dev.moat.cli;

import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.moat.MoatException;
import dev.moat.config.AnsibleConfig;
import dev.moat.config.ConfigKey;
import dev.moat.config.Setting;
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

    @Option(names = "--timeout", paramLabel = "S", converter = AtLeastOne.class,
            description = "SSH connect timeout in seconds (default: timeout in ansible.cfg, else 10).")
    Integer timeout;

    /** ansible.cfg and the ANSIBLE_* variables; the command sets it (read here when it did not). */
    AnsibleConfig config;

    AnsibleConfig config() {
        if (config == null) config = Cfg.load(null);
        return config;
    }

    /**
     * A host's variables with the connection defaults of ansible.cfg (and {@code -u}, {@code -b},
     * {@code --become-user}, applied to the config as command-line values) beneath them: as in
     * Ansible, {@code ansible_user}, {@code ansible_become} and {@code ansible_become_user} set in
     * the inventory or the play win over {@code remote_user}, {@code become} and {@code become_user}.
     */
    java.util.Map<String, Object> withDefaults(java.util.Map<String, Object> vars) {
        return withDefaults(vars, false);
    }

    /**
     * {@link #withDefaults}, for a playbook run when {@code belowPlay}: there a play's
     * {@code remote_user} beats {@code -u} and ansible.cfg's (as in Ansible), so their user goes
     * under {@link dev.moat.engine.Runner#DEFAULT_USER}, which the runner uses last.
     */
    java.util.Map<String, Object> withDefaults(java.util.Map<String, Object> vars, boolean belowPlay) {
        AnsibleConfig c = config();
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(vars);
        String userKey = belowPlay ? dev.moat.engine.Runner.DEFAULT_USER : "ansible_user";
        c.remoteUser().filter(u -> !u.isEmpty()).ifPresent(u -> out.putIfAbsent(userKey, u));
        if (c.become()) out.putIfAbsent("ansible_become", true);
        if (c.setting(ConfigKey.DEFAULT_BECOME_USER).changed() && !c.becomeUser().isEmpty()) {
            out.putIfAbsent("ansible_become_user", c.becomeUser());
        }
        return out;
    }

    /** The SSH connect timeout: {@code --timeout}, else ansible.cfg's {@code timeout}. */
    int timeoutSeconds() {
        if (timeout != null) return timeout;
        Setting s = config().setting(ConfigKey.DEFAULT_TIMEOUT);
        if (config().timeout() < 1) throw MoatException.invalid(s.place() + ": timeout must be at least 1 second, not " + s.value());
        return config().timeout();
    }

    /** Vault passwords: the command line's, then ansible.cfg's {@code vault_password_file}, as Ansible tries them. */
    void installVault() {
        vault.install(config().vaultPasswordFile().map(java.util.List::of).orElse(java.util.List.of()));
    }

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
            SshPasswords.refuse(inv, h);
            Endpoints.checkSshArgs(h, inv.templateVars(h), acceptNewHostKeys);
            files.addAll(Endpoints.knownHostsFiles(Endpoints.rendered(h, inv.templateVars(h))));
        }
        return settings(verbose, files, mask);
    }

    /** As {@link #settings(RunListener)}, also trusting the known_hosts files the inventory names. */
    SshSettings settings(RunListener verbose, java.util.Set<Path> inventoryKnownHosts) {
        return settings(verbose, inventoryKnownHosts, java.util.function.UnaryOperator.identity());
    }

    /** With {@code mask} applied to each -vv command line before it is shortened. */
    SshSettings settings(RunListener verbose, java.util.Set<Path> inventoryKnownHosts, java.util.function.UnaryOperator<String> mask) {
        config().checkForHosts(acceptNewHostKeys);
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
        s = s.withKeys(privateKey != null ? privateKey : config().privateKeyFile().orElse(null), s.defaultKeys(), prompt);
        if (askBecomePass) {
            if (console == null) throw MoatException.usage("--ask-become-pass needs a terminal to ask on");
            s = s.withBecomePassword(console.readPassword("BECOME password: "));
        }
        s = s.withTimeouts(Duration.ofSeconds(timeoutSeconds()), null);
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
