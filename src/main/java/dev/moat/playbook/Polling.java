package dev.moat.playbook;

import java.util.List;

/**
 * How a task is repeated: {@code until} with {@code retries} and {@code delay} (Ansible's
 * defaults, 3 and 5 seconds: 4 attempts). Numbers may be templates, rendered on the host.
 *
 * <pre>
 * - command: curl -fsS http://127.0.0.1:8000/health
 *   register: health
 *   until: health.rc == 0
 *   retries: 10
 *   delay: 3
 * </pre>
 *
 * @param until   conditions that must all hold to stop retrying; empty: no retries
 * @param retries an int or a template; null: Ansible's 3
 * @param delay   seconds between attempts, an int or a template; null: Ansible's 5
 */
public record Polling(List<String> until, Object retries, Object delay) {
    public static final Polling NONE = new Polling(List.of(), null, null);

    public Polling {
        until = Copies.list(until);
    }

    public boolean retrying() {
        return !until.isEmpty();
    }
}
