package dev.moat.playbook;

import java.util.List;
import java.util.Map;

/**
 * How a task runs, beyond what it does: the keywords it inherits from its play, roles and blocks
 * (the innermost value wins, as in Ansible; {@code environment} merges, the task's over its
 * blocks' over its play's).
 *
 * <pre>
 * - hosts: gpu
 *   environment: { http_proxy: "http://proxy:3128" }
 *   any_errors_fatal: true
 *   tasks:
 *     - apt: { name: nvidia-driver-550 }
 *       ignore_errors: "{{ ansible_check_mode }}"
 *       throttle: 2
 *     - command: /usr/bin/make-token
 *       run_once: true
 *       register: token
 * </pre>
 *
 * @param environment    each layer's {@code environment:}, outermost first: a mapping (values may hold
 *                       templates) or a template that gives one; later layers win, key by key
 * @param templated      a boolean keyword written as a template ({@code ignore_errors}, {@code no_log},
 *                       {@code become}, {@code check_mode}, {@code diff}, {@code run_once},
 *                       {@code any_errors_fatal}) to its template, rendered per host when the task
 *                       runs; the task's literal field then holds its default
 * @param diff           {@code diff:}, null when not said (the run's {@code --diff})
 * @param runOnce        run on the batch's first host only, its result given to every host
 * @param anyErrorsFatal a failure here ends the play for every host
 * @param throttle       at most this many hosts run the task at once; 0: no limit
 * @param delegateTo     where the task runs instead of its host: {@code localhost} (the controller:
 *                       {@code delegate_to: localhost}, {@code local_action}, {@code connection: local}),
 *                       another inventory host (through that host's own connection), a template rendered
 *                       per host, or null
 * @param delegateFacts  {@code delegate_facts: true}: facts a delegated task gathers or sets are the delegate's
 * @param async          {@code async:} the most seconds the task may run, detached on the host; 0: not async
 * @param poll           {@code poll:} seconds between looks at an async task; 0: fire and forget
 * @param remoteUser     the task's {@code remote_user} (the login user for this task), or null
 */
public record Execution(List<Object> environment, Map<String, String> templated, Boolean diff, boolean runOnce,
                        boolean anyErrorsFatal, int throttle, String delegateTo, boolean delegateFacts, int async,
                        int poll, String remoteUser) {
    /** Nothing said: Ansible's defaults. */
    public static final Execution NONE = new Execution(List.of(), Map.of(), null, false, false, 0, null, false, 0, 15, null);

    /** Ansible's default {@code poll}: 15 seconds. */
    public static final int DEFAULT_POLL = 15;

    /** The names of the controller a task may be delegated to. */
    public static final java.util.Set<String> CONTROLLER = java.util.Set.of("localhost", "127.0.0.1", "::1");

    public Execution {
        environment = Copies.list(environment);
        templated = Copies.map(templated);
        if (throttle < 0) throw new IllegalArgumentException("throttle");
        if (async < 0 || poll < 0) throw new IllegalArgumentException("async/poll");
    }

    /** Whether the task runs on the controller: delegated to {@code localhost} (or an alias). */
    public boolean onController() {
        return delegateTo != null && CONTROLLER.contains(delegateTo);
    }

    /** The template of boolean keyword {@code key}, or null when it was written as a literal (or not at all). */
    public String template(String key) {
        return templated.get(key);
    }
}
