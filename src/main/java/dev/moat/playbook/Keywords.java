package dev.moat.playbook;

import java.util.Set;

/** The playbook keywords moat reads, and Ansible's that it knowingly does not support. */
final class Keywords {
    private Keywords() {}

    static final Set<String> PLAY = Set.of("name", "hosts", "vars", "vars_files", "become", "become_user", "tasks",
            "handlers", "serial", "max_fail_percentage", "rollback", "tags", "gather_facts");

    static final Set<String> TASK = Set.of("name", "when", "loop", "loop_control", "register", "notify", "tags",
            "no_log", "ignore_errors", "changed_when", "failed_when", "become", "become_user", "listen", "args", "vars",
            "check_mode");

    static final Set<String> BLOCK = Set.of("name", "block", "rescue", "always", "when", "tags", "become",
            "become_user", "no_log", "ignore_errors", "vars", "rollback");

    static final Set<String> UNSUPPORTED_PLAY = Set.of("roles", "pre_tasks", "post_tasks", "vars_prompt", "strategy",
            "gather_subset", "gather_timeout", "any_errors_fatal", "collections", "environment", "module_defaults",
            "order", "connection", "remote_user", "port", "force_handlers", "ignore_unreachable", "run_once",
            "check_mode", "diff", "throttle", "timeout", "debugger", "become_method", "become_flags", "fact_path");

    static final Set<String> UNSUPPORTED_TASK = Set.of("delegate_to", "delegate_facts", "run_once", "local_action",
            "async", "poll", "retries", "until", "delay", "environment", "diff", "throttle", "timeout",
            "any_errors_fatal", "connection", "remote_user", "with_items", "with_dict", "with_list", "with_fileglob",
            "with_together", "with_nested", "with_sequence", "with_subelements", "with_first_found", "with_random_choice",
            "with_indexed_items", "with_flattened", "collections", "module_defaults", "debugger", "become_method",
            "become_flags", "include_tasks", "import_tasks", "include_role", "import_role", "include_vars", "include",
            "import_playbook", "action", "port", "ignore_unreachable");
}
