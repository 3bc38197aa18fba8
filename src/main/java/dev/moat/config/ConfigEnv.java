package dev.moat.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What finding and reading ansible.cfg depends on besides files: the environment variables, the
 * current directory and the home directory. {@link #system()} for a real run; tests make their own.
 *
 * @param env the environment variables ({@code ANSIBLE_CONFIG}, {@code ANSIBLE_FORKS}, ...; {@code $VAR} in paths)
 * @param cwd the current directory (absolute)
 * @param home the user's home directory, for {@code ~} and {@code ~/.ansible.cfg}
 */
public record ConfigEnv(Map<String, String> env, Path cwd, Path home) {
    public ConfigEnv {
        env = Map.copyOf(env);
        cwd = Objects.requireNonNull(cwd, "cwd").toAbsolutePath().normalize();
        home = Objects.requireNonNull(home, "home").toAbsolutePath().normalize();
    }

    /** This process's environment, working directory and {@code user.home}. */
    public static ConfigEnv system() {
        return new ConfigEnv(System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
    }

    String get(String name) {
        return env.get(name);
    }
}
