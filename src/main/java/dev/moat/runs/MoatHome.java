package dev.moat.runs;

import java.nio.file.Path;

/**
 * {@code $MOAT_HOME}, default {@code ~/.moat}: run records under {@code runs/}, shell history.
 * The system property {@code moat.home} comes first, so in-process tests (which cannot set an
 * environment variable) get their own home.
 */
public final class MoatHome {
    private MoatHome() {}

    public static Path dir() {
        String prop = System.getProperty("moat.home");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("MOAT_HOME");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".moat");
    }

    public static Path runs() {
        return dir().resolve("runs");
    }
}
