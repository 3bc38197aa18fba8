package dev.moat.repl;

/** How one shell command ended, for {@code :history} and the exit status of a scripted session. */
enum Outcome {
    OK, CHANGED, FAILED, QUIT;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
