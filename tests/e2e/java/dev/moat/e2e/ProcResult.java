package dev.moat.e2e;

/**
 * What a finished subprocess left: its exit code and everything it printed. Used for commands run
 * on testbed hosts over SSH and for runs of the {@code moat} CLI.
 */
public record ProcResult(int exitCode, String stdout, String stderr) {
    public ProcResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** A one-paragraph account for assertion messages. */
    public String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
