package dev.moat.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.moat.MoatException;

/**
 * The ansible.cfg settings moat reads ({@link ConfigKey}), resolved as Ansible resolves them.
 *
 * <p>The file is the first that exists and is readable of: {@code $ANSIBLE_CONFIG} (a directory
 * means its {@code ansible.cfg}), {@code ./ansible.cfg} (skipped with a warning when the current
 * directory is world-writable, as Ansible does, since anyone could plant one there),
 * {@code ~/.ansible.cfg}, {@code /etc/ansible/ansible.cfg}. Only that one file is read: files
 * are never merged. Each value is the command line's, else the {@code ANSIBLE_*} environment
 * variable's, else the file's, else the default (command-line values are applied by the caller
 * through {@link #override}).
 *
 * <pre>
 * [defaults]
 * inventory = inventory/hosts.ini, inventory/cloud   ; -i is now optional
 * roles_path = roles:~/shared/roles
 * remote_user = ops
 * [privilege_escalation]
 * become = yes
 * </pre>
 *
 * <p>Values are typed as Ansible's {@code ensure_type} does: booleans are true for
 * {@code yes/on/1/true/t/y} (any case) and false otherwise; strings lose one pair of surrounding
 * quotes; paths expand {@code $VAR} and {@code ~}, and a relative path is relative to the cfg
 * file's directory when it comes from the file, to the current directory when it comes from the
 * environment. A value that is not a number where a number is needed is an error naming
 * file:line or the environment variable (exit 65).
 */
public final class AnsibleConfig {
    private final Path file;
    private final Map<ConfigKey, Setting> settings;
    private final List<String> warnings;

    private AnsibleConfig(Path file, Map<ConfigKey, Setting> settings, List<String> warnings) {
        this.file = file;
        this.settings = settings;
        this.warnings = List.copyOf(warnings);
    }

    /** Finds and reads the cfg file for {@code env} and resolves every setting. */
    public static AnsibleConfig load(ConfigEnv env) {
        List<String> warnings = new ArrayList<>();
        Path file = find(env, warnings);
        IniFile ini = file == null ? null : IniFile.load(file);
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        for (ConfigKey k : ConfigKey.values()) settings.put(k, resolve(k, env, ini));
        return new AnsibleConfig(file, settings, warnings);
    }

    /** The cfg file Ansible would read for {@code env} ({@code ansible_config_file}), or null; its warnings are {@link #load}'s to print. */
    public static Path findFile(ConfigEnv env) {
        return find(env, new ArrayList<>());
    }

    /** Ansible's {@code find_ini_config_file}. */
    static Path find(ConfigEnv env, List<String> warnings) {
        List<Path> candidates = new ArrayList<>();
        String fromEnv = env.get("ANSIBLE_CONFIG");
        Path envPath = null;
        if (fromEnv != null) {
            envPath = Values.resolvePath(fromEnv, env.cwd(), env);
            if (Files.isDirectory(envPath)) envPath = envPath.resolve("ansible.cfg");
            candidates.add(envPath);
        }
        Path cwdCfg = env.cwd().resolve("ansible.cfg");
        boolean skippedCwd = false;
        if (worldWritable(env.cwd())) {
            skippedCwd = Files.exists(cwdCfg);
        } else {
            candidates.add(cwdCfg);
        }
        candidates.add(env.home().resolve(".ansible.cfg"));
        candidates.add(Path.of("/etc/ansible/ansible.cfg"));
        Path found = null;
        for (Path p : candidates) {
            if (Files.exists(p) && Files.isReadable(p)) {
                found = p;
                break;
            }
        }
        if (skippedCwd && (envPath == null || !envPath.equals(found))) {
            warnings.add("Ansible is being run in a world writable directory (" + env.cwd()
                    + "), ignoring it as an ansible.cfg source.");
        }
        if (found != null) {
            String name = found.getFileName().toString();
            if (!name.endsWith(".cfg") && !name.endsWith(".ini")) {
                throw MoatException.invalid("Unsupported configuration file extension for " + found
                        + ": an ansible.cfg is an INI file ending in .cfg or .ini (moat, like Ansible 2.14, reads no YAML config)");
            }
        }
        return found;
    }

    private static boolean worldWritable(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Setting resolve(ConfigKey k, ConfigEnv env, IniFile ini) {
        for (int i = k.envNames().size() - 1; i >= 0; i--) {
            String name = k.envNames().get(i);
            String v = env.get(name);
            if (v == null) continue;
            String origin = "env: " + name;
            // Ansible: an empty environment variable that is no integer means the default (not the file's value).
            if (v.isEmpty() && k.type() == ConfigKey.Type.INTEGER) return byDefault(k, env);
            return new Setting(k, Values.convert(k, v, env.cwd(), env, "environment variable " + name), origin, 0);
        }
        if (ini != null) {
            for (int i = k.iniKeys().size() - 1; i >= 0; i--) {
                IniFile.Entry e = ini.get(k.section(), k.iniKeys().get(i));
                if (e == null) continue;
                String where = ini.file() + ":" + e.line() + " (" + k.iniKeys().get(i) + ")";
                return new Setting(k, Values.convert(k, e.value(), ini.file().getParent(), env, where), ini.file().toString(), e.line());
            }
        }
        return byDefault(k, env);
    }

    private static Setting byDefault(ConfigKey k, ConfigEnv env) {
        String d = k.defaultText();
        if (d != null) {
            String home = env.get("ANSIBLE_HOME");
            d = d.replace("{ANSIBLE_HOME}", home == null || home.isEmpty() ? "~/.ansible" : home);
        }
        return new Setting(k, d == null ? null : Values.convert(k, d, env.cwd(), env, "default"), "default", 0);
    }

    /** The cfg file read, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** What finding the file warned about (a skipped world-writable ./ansible.cfg). */
    public List<String> warnings() {
        return warnings;
    }

    public Setting setting(ConfigKey key) {
        return settings.get(key);
    }

    /** Every setting, in {@link ConfigKey} order. */
    public Map<ConfigKey, Setting> settings() {
        return Collections.unmodifiableMap(settings);
    }

    /** A copy with {@code key} set by a command-line flag (origin {@code cli: FLAG}), the highest precedence. */
    public AnsibleConfig override(ConfigKey key, Object value, String flag) {
        Map<ConfigKey, Setting> m = new EnumMap<>(settings);
        m.put(key, new Setting(key, value, "cli: " + flag, 0));
        return new AnsibleConfig(file, m, warnings);
    }

    /**
     * {@code ansible-config dump [--only-changed]} restricted to the keys moat reads: one
     * {@code NAME(origin) = value} line per setting and {@code CONFIG_FILE() = path}, sorted by name.
     */
    public List<String> dump(boolean onlyChanged) {
        List<String> lines = new ArrayList<>();
        lines.add("CONFIG_FILE() = " + (file == null ? "None" : file.toString()));
        for (Setting s : settings.values()) {
            if (!onlyChanged || s.changed()) lines.add(s.dumpLine());
        }
        lines.sort(java.util.Comparator.comparing(l -> l.substring(0, l.indexOf('('))));
        return lines;
    }

    /** The inventory sources ({@code [defaults] inventory} / {@code ANSIBLE_INVENTORY}), as absolute paths or host lists. */
    @SuppressWarnings("unchecked")
    public List<String> inventory() {
        return (List<String>) settings.get(ConfigKey.DEFAULT_HOST_LIST).value();
    }

    /** Whether the inventory comes from the cfg file or the environment rather than moat's default. */
    public boolean inventoryConfigured() {
        return settings.get(ConfigKey.DEFAULT_HOST_LIST).changed();
    }

    public List<Path> rolesPath() {
        return paths(ConfigKey.DEFAULT_ROLES_PATH);
    }

    public List<Path> collectionsPath() {
        return paths(ConfigKey.COLLECTIONS_PATHS);
    }

    public Optional<String> remoteUser() {
        return Optional.ofNullable((String) settings.get(ConfigKey.DEFAULT_REMOTE_USER).value());
    }

    public Optional<Path> privateKeyFile() {
        return Optional.ofNullable((String) settings.get(ConfigKey.DEFAULT_PRIVATE_KEY_FILE).value()).map(Path::of);
    }

    public int forks() {
        return (Integer) settings.get(ConfigKey.DEFAULT_FORKS).value();
    }

    public int timeout() {
        return (Integer) settings.get(ConfigKey.DEFAULT_TIMEOUT).value();
    }

    public boolean hostKeyChecking() {
        return (Boolean) settings.get(ConfigKey.HOST_KEY_CHECKING).value();
    }

    /** {@code vault_password_file}, for Vault decryption. */
    public Optional<Path> vaultPasswordFile() {
        return Optional.ofNullable((String) settings.get(ConfigKey.DEFAULT_VAULT_PASSWORD_FILE).value()).map(Path::of);
    }

    public boolean become() {
        return (Boolean) settings.get(ConfigKey.DEFAULT_BECOME).value();
    }

    public String becomeUser() {
        return (String) settings.get(ConfigKey.DEFAULT_BECOME_USER).value();
    }

    public String becomeMethod() {
        return (String) settings.get(ConfigKey.DEFAULT_BECOME_METHOD).value();
    }

    @SuppressWarnings("unchecked")
    private List<Path> paths(ConfigKey k) {
        Object v = settings.get(k).value();
        return v == null ? List.of() : ((List<String>) v).stream().map(Path::of).toList();
    }

    /**
     * Refuses what moat will not do for a command that reaches hosts: {@code host_key_checking =
     * False} without {@code --accept-new-host-keys} (exit 64), and a {@code become_method} other
     * than sudo (exit 65), each naming where it was set.
     */
    public void checkForHosts(boolean acceptNewHostKeys) {
        Setting hkc = settings.get(ConfigKey.HOST_KEY_CHECKING);
        if (!hostKeyChecking() && !acceptNewHostKeys) {
            throw MoatException.usage(hkc.place() + ": host_key_checking = False: moat never connects to a host whose key it has not"
                    + " verified. Pass --accept-new-host-keys to accept and record keys it has not seen (a changed key is still"
                    + " refused), or remove the setting");
        }
        Setting m = settings.get(ConfigKey.DEFAULT_BECOME_METHOD);
        if (!"sudo".equals(m.value())) {
            throw MoatException.invalid(m.place() + ": become_method = " + m.value() + ": moat becomes another user only through"
                    + " sudo" + ("su".equals(m.value()) ? " (su needs the target user's password typed into a terminal on every"
                    + " host, which moat does not do)" : "") + "; set become_method = sudo or remove the setting");
        }
    }
}
