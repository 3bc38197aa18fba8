package dev.moat.cli;

import java.nio.file.Path;

/** {@code $MOAT_HOME}, default {@code ~/.moat}: run records under {@code runs/}, shell history. */
final class MoatHome {
    private MoatHome() {}

    static Path dir() {
        String env = System.getenv("MOAT_HOME");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".moat");
    }

    static Path runs() {
        return dir().resolve("runs");
    }
}
