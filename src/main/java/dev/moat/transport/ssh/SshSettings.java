package dev.moat.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How moat connects over SSH, from the command line: the known_hosts files (the first one receives
 * keys accepted with {@code --accept-new-host-keys}), an optional {@code --private-key} that replaces
 * every other key, the passphrase prompt, the become password ({@code --ask-become-pass}; fed to
 * {@code sudo -S}, never logged), timeouts, the ssh_config file, the default identity files tried
 * when neither the inventory nor ssh_config names one, and a {@code -v} listener.
 * Null arguments take the defaults of {@link #defaults()}.
 */
public record SshSettings(
        List<Path> knownHosts,
        boolean acceptNewHostKeys,
        Path privateKey,
        PassphrasePrompt passphrases,
        char[] becomePassword,
        Duration connectTimeout,
        Duration commandTimeout,
        Path sshConfig,
        List<Path> defaultKeys,
        ExecListener listener) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public SshSettings {
        Path ssh = sshDir();
        if (knownHosts == null || knownHosts.isEmpty()) knownHosts = List.of(ssh.resolve("known_hosts"));
        knownHosts = List.copyOf(knownHosts);
        if (passphrases == null) passphrases = PassphrasePrompt.NONE;
        if (connectTimeout == null) connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connect timeout must be positive");
        if (commandTimeout != null && (commandTimeout.isNegative() || commandTimeout.isZero()))
            throw new IllegalArgumentException("command timeout must be positive");
        if (sshConfig == null) sshConfig = ssh.resolve("config");
        if (defaultKeys == null)
            defaultKeys = List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_ecdsa"), ssh.resolve("id_rsa"));
        defaultKeys = List.copyOf(defaultKeys);
        if (listener == null) listener = ExecListener.NONE;
    }

    /** ~/.ssh/known_hosts, ~/.ssh/config, the usual ~/.ssh/id_* keys, 10 s to connect, no become password. */
    public static SshSettings defaults() {
        return new SshSettings(null, false, null, null, null, null, null, null, null, null);
    }

    public SshSettings withKnownHosts(Path file, boolean acceptNew) {
        return new SshSettings(List.of(file), acceptNew, privateKey, passphrases, becomePassword,
                connectTimeout, commandTimeout, sshConfig, defaultKeys, listener);
    }

    public SshSettings withKeys(Path privateKeyOverride, List<Path> defaults, PassphrasePrompt prompt) {
        return new SshSettings(knownHosts, acceptNewHostKeys, privateKeyOverride, prompt, becomePassword,
                connectTimeout, commandTimeout, sshConfig, defaults, listener);
    }

    public SshSettings withSshConfig(Path file) {
        return new SshSettings(knownHosts, acceptNewHostKeys, privateKey, passphrases, becomePassword,
                connectTimeout, commandTimeout, file, defaultKeys, listener);
    }

    public SshSettings withBecomePassword(char[] password) {
        return new SshSettings(knownHosts, acceptNewHostKeys, privateKey, passphrases, password,
                connectTimeout, commandTimeout, sshConfig, defaultKeys, listener);
    }

    public SshSettings withTimeouts(Duration connect, Duration command) {
        return new SshSettings(knownHosts, acceptNewHostKeys, privateKey, passphrases, becomePassword,
                connect, command, sshConfig, defaultKeys, listener);
    }

    public SshSettings withListener(ExecListener l) {
        return new SshSettings(knownHosts, acceptNewHostKeys, privateKey, passphrases, becomePassword,
                connectTimeout, commandTimeout, sshConfig, defaultKeys, l);
    }

    /** Never shows the become password. */
    @Override
    public String toString() {
        return "SshSettings[knownHosts=" + knownHosts + ", acceptNewHostKeys=" + acceptNewHostKeys
                + ", privateKey=" + privateKey + ", becomePassword=" + (becomePassword == null ? "none" : "(set)")
                + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", sshConfig=" + sshConfig + ", defaultKeys=" + defaultKeys + "]";
    }

    static Path sshDir() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }
}
