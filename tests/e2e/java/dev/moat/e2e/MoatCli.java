package dev.moat.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the real {@code moat} command as a subprocess, the way a user would, and captures its
 * exit code, stdout and stderr. Uses the launcher {@code cli/moat} when it exists, else
 * {@code java -jar <jar>}. The project root is the system property {@code moat.root} (else the
 * working directory, where Maven runs the tests); the jar is {@code moat.jar} (else
 * {@code target/moat.jar} under the root).
 */
public final class MoatCli {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private MoatCli() {
    }

    public static Path root() {
        String r = System.getProperty("moat.root");
        return Path.of(r == null || r.isBlank() ? System.getProperty("user.dir") : r).toAbsolutePath();
    }

    public static Path jar() {
        String j = System.getProperty("moat.jar");
        return j == null || j.isBlank() ? root().resolve("target/moat.jar") : Path.of(j);
    }

    /** The command line that starts moat with {@code args}. */
    public static List<String> command(List<String> args) {
        Path launcher = root().resolve("cli/moat");
        List<String> c = new ArrayList<>();
        if (Files.isExecutable(launcher)) {
            c.add(launcher.toString());
        } else {
            c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            c.add("-jar");
            c.add(jar().toString());
        }
        c.addAll(args);
        return c;
    }

    /** Runs moat with {@code args} in the project root. */
    public static ProcResult run(String... args) {
        return run(root(), Map.of(), DEFAULT_TIMEOUT, args);
    }

    /** Runs moat with {@code args} in {@code workDir}, with extra environment variables and a time limit. */
    public static ProcResult run(Path workDir, Map<String, String> env, Duration timeout, String... args) {
        return Procs.run(command(Arrays.asList(args)), workDir, env, "", timeout);
    }

    /** playbooks/harden-inference.yml of this tree. */
    static String hardenInference() {
        return root().resolve("playbooks/harden-inference.yml").toString();
    }
}
