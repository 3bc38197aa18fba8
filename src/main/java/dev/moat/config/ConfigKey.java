package dev.moat.config;

import java.util.List;

/**
 * The ansible.cfg settings moat reads, with Ansible's names, types, environment variables and
 * ini entries (from {@code ansible/config/base.yml}). Every other key is ignored, as Ansible
 * ignores keys it does not know. When two environment variables (or two ini keys) of one setting
 * are set, the later one in the list wins, as in Ansible's {@code _loop_entries}.
 */
public enum ConfigKey {
    /** {@code [defaults] inventory}: comma-separated inventory sources, so {@code -i} is optional. */
    DEFAULT_HOST_LIST(Type.PATHLIST, "/etc/ansible/hosts", List.of("ANSIBLE_INVENTORY"), "defaults", "inventory"),
    /** {@code [defaults] roles_path}: colon-separated directories searched for roles. */
    DEFAULT_ROLES_PATH(Type.PATHSPEC, "{ANSIBLE_HOME}/roles:/usr/share/ansible/roles:/etc/ansible/roles",
            List.of("ANSIBLE_ROLES_PATH"), "defaults", "roles_path"),
    /** {@code [defaults] collections_path} (or the older {@code collections_paths}). */
    COLLECTIONS_PATHS(Type.PATHSPEC, "{ANSIBLE_HOME}/collections:/usr/share/ansible/collections",
            List.of("ANSIBLE_COLLECTIONS_PATHS", "ANSIBLE_COLLECTIONS_PATH"), "defaults", "collections_paths", "collections_path"),
    /** {@code [defaults] remote_user}: the SSH user when neither {@code -u} nor {@code ansible_user} says. */
    DEFAULT_REMOTE_USER(Type.STRING, null, List.of("ANSIBLE_REMOTE_USER"), "defaults", "remote_user"),
    /** {@code [defaults] private_key_file}. */
    DEFAULT_PRIVATE_KEY_FILE(Type.PATH, null, List.of("ANSIBLE_PRIVATE_KEY_FILE"), "defaults", "private_key_file"),
    /** {@code [defaults] forks}: hosts worked on at once (moat's default is 100, Ansible's 5). */
    DEFAULT_FORKS(Type.INTEGER, "100", List.of("ANSIBLE_FORKS"), "defaults", "forks"),
    /** {@code [defaults] timeout}: SSH connect timeout in seconds. */
    DEFAULT_TIMEOUT(Type.INTEGER, "10", List.of("ANSIBLE_TIMEOUT"), "defaults", "timeout"),
    /** {@code [defaults] host_key_checking}: moat refuses False unless {@code --accept-new-host-keys}. */
    HOST_KEY_CHECKING(Type.BOOLEAN, "True", List.of("ANSIBLE_HOST_KEY_CHECKING"), "defaults", "host_key_checking"),
    /** {@code [defaults] vault_password_file}. */
    DEFAULT_VAULT_PASSWORD_FILE(Type.PATH, null, List.of("ANSIBLE_VAULT_PASSWORD_FILE"), "defaults", "vault_password_file"),
    /** {@code [privilege_escalation] become}. */
    DEFAULT_BECOME(Type.BOOLEAN, "False", List.of("ANSIBLE_BECOME"), "privilege_escalation", "become"),
    /** {@code [privilege_escalation] become_user}. */
    DEFAULT_BECOME_USER(Type.STRING, "root", List.of("ANSIBLE_BECOME_USER"), "privilege_escalation", "become_user"),
    /** {@code [privilege_escalation] become_method}: moat becomes only through sudo. */
    DEFAULT_BECOME_METHOD(Type.STRING, "sudo", List.of("ANSIBLE_BECOME_METHOD"), "privilege_escalation", "become_method");

    /** Ansible's value types ({@code ensure_type}) that these settings use. */
    enum Type { STRING, INTEGER, BOOLEAN, PATH, PATHLIST, PATHSPEC }

    private final Type type;
    private final String defaultText;
    private final List<String> envNames;
    private final String section;
    private final List<String> iniKeys;

    ConfigKey(Type type, String defaultText, List<String> envNames, String section, String... iniKeys) {
        this.type = type;
        this.defaultText = defaultText;
        this.envNames = envNames;
        this.section = section;
        this.iniKeys = List.of(iniKeys);
    }

    /** Ansible's name, as {@code ansible-config dump} prints it. */
    public String ansibleName() {
        return name();
    }

    Type type() {
        return type;
    }

    String defaultText() {
        return defaultText;
    }

    /** The environment variables, lowest priority first. */
    public List<String> envNames() {
        return envNames;
    }

    public String section() {
        return section;
    }

    /** The ini keys, lowest priority first. */
    public List<String> iniKeys() {
        return iniKeys;
    }

    /** {@code [section] key}, for messages. */
    public String iniName() {
        return "[" + section + "] " + iniKeys.get(iniKeys.size() - 1);
    }
}
