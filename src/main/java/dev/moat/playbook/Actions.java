package dev.moat.playbook;

import java.util.Set;

/**
 * The task actions moat runs itself rather than through a module: they change what a host's play
 * knows, not the host. {@code set_fact} (variables at set_fact precedence), {@code include_vars}
 * (a vars file, or a directory of them, at include_vars precedence) and {@code meta} (handler
 * flushes, ending the play or the host, ...).
 *
 * <pre>
 * - include_vars: "{{ ansible_os_family }}.yml"
 * - set_fact: { nginx_user: "{{ __nginx_user }}" }
 * - meta: flush_handlers
 * </pre>
 */
public final class Actions {
    private Actions() {}

    public static final String SET_FACT = "set_fact";
    public static final String INCLUDE_VARS = "include_vars";
    public static final String META = "meta";

    static final Set<String> ALL = Set.of(SET_FACT, INCLUDE_VARS, META);

    /** What {@code meta:} takes; moat runs each (see the engine). */
    public static final Set<String> META_ACTIONS = Set.of("flush_handlers", "refresh_inventory", "noop", "clear_facts",
            "clear_host_errors", "end_play", "end_host", "end_batch", "reset_connection", "end_role");

    /** What {@code include_vars:} takes besides a free-form file name. */
    static final Set<String> INCLUDE_VARS_ARGS = Set.of("file", "dir", "name", "depth", "files_matching", "ignore_files",
            "extensions", "ignore_unknown_extensions", "hash_behaviour");

    /** Whether {@code module} (a {@link Task#module()}) is one of these actions. */
    public static boolean is(String module) {
        return ALL.contains(module);
    }
}
