package dev.moat.facts;

/** What an ad-hoc read printed: its exit status and its output as text. */
public record CommandOutput(int rc, String stdout, String stderr) {
    public boolean ok() {
        return rc == 0;
    }
}
