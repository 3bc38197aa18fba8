package dev.moat.scan;

/**
 * How bad a scan finding is. {@code EXPOSED}: something answers from outside that must not (an AI
 * port, a vault without auth, Basic Auth over plain HTTP). {@code FAIL}: a check that must pass did
 * not, without an exposure (an untrusted or expired certificate, a vault that is down). {@code OK}:
 * the check passed. {@code INFO}: worth knowing, not judged.
 */
public enum Verdict {
    EXPOSED, FAIL, OK, INFO;

    /** Whether this verdict makes {@code moat scan} exit 2. */
    public boolean bad() {
        return this == EXPOSED || this == FAIL;
    }
}
