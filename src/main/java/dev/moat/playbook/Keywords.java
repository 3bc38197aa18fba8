package dev.moat.playbook;

import java.util.Set;
import java.util.regex.Pattern;

/** The playbook keywords moat reads, and Ansible's that it knowingly does not support. */
final class Keywords {
    private Keywords() {}

    static final Set<String> PLAY = Set.of("name", "hosts", "vars", "vars_files", "become", "become_user", "tasks",
            "handlers", "serial", "max_fail_percentage", "rollback", "tags", "gather_facts", "roles", "pre_tasks",
            "post_tasks", "environment", "any_errors_fatal", "check_mode", "diff", "become_method", "become_flags",
            "collections", "run_once", "throttle", "strategy", "remote_user", "no_log", "ignore_errors", "connection", "vars_prompt",
            "fact_path");

    static final Set<String> TASK = Set.of("name", "when", "loop", "loop_control", "register", "notify", "tags",
            "no_log", "ignore_errors", "changed_when", "failed_when", "become", "become_user", "listen", "args", "vars",
            "check_mode", "environment", "diff", "any_errors_fatal", "run_once", "throttle", "become_method",
            "become_flags", "action", "remote_user", "delegate_to", "delegate_facts", "local_action", "until", "retries", "delay",
            "async", "poll");

    /** {@code with_items}, {@code with_dict}, ...: a loop over what the lookup after {@code with_} gives. */
    static final Pattern WITH_LOOKUP = Pattern.compile("with_[a-z][a-z0-9_]*");

    static final Set<String> BLOCK = Set.of("name", "block", "rescue", "always", "when", "tags", "become",
            "become_user", "no_log", "ignore_errors", "vars", "rollback", "environment", "notify", "check_mode", "diff",
            "any_errors_fatal", "run_once", "throttle", "become_method", "become_flags", "collections", "delegate_to",
            "delegate_facts", "remote_user");

    /** What an {@code import_tasks}/{@code import_role} task takes besides its file or role: passed to every task inside. */
    static final Set<String> IMPORT = Set.of("name", "when", "tags", "become", "become_user", "no_log", "ignore_errors",
            "vars", "args");

    /** What an {@code include_tasks}/{@code include_role} task takes besides its file or role. */
    static final Set<String> INCLUDE = Set.of("name", "when", "tags", "become", "become_user", "no_log", "ignore_errors",
            "vars", "args", "loop", "loop_control", "apply");

    static final Set<String> UNSUPPORTED_PLAY = Set.of(
            "gather_subset", "gather_timeout", "module_defaults",
            "order", "port", "force_handlers", "ignore_unreachable",
            "timeout", "debugger");

    static final Set<String> UNSUPPORTED_TASK = Set.of(
            "timeout",
            "connection", "collections", "module_defaults", "debugger",
            "include", "port", "ignore_unreachable");
}
