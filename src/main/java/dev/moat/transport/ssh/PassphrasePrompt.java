package dev.moat.transport.ssh;

import java.nio.file.Path;

/**
 * Asks the user for the passphrase of an encrypted private key. Called at most once per key file
 * per {@link SshConnector}; the answer is cached for the run. Returning {@code null} skips the key.
 */
@FunctionalInterface
public interface PassphrasePrompt {
    PassphrasePrompt NONE = keyFile -> null;

    char[] passphrase(Path keyFile);
}
