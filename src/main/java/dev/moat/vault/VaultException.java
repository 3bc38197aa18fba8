package dev.moat.vault;

import dev.moat.ExitCode;
import dev.moat.MoatException;

/** Vault text that cannot be read or decrypted; exit 65. Callers that know the file:line prefix it. */
public class VaultException extends MoatException {
    public VaultException(String message) {
        super(ExitCode.INVALID, message);
    }
}
