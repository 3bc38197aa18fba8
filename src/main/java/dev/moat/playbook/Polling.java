package dev.moat.playbook;

import java.util.List;

import dev.moat.yaml.Mark;

/**
 * How a task is repeated or waited on: {@code until} with {@code retries} and {@code delay}
 * (Ansible's defaults, 3 and 5 seconds: 4 attempts), and {@code async} with {@code poll}
 * (a step run detached on the host, polled every {@code poll} seconds, at most {@code async}
 * seconds; {@code poll: 0} fires and forgets). Numbers may be templates, rendered on the host.
 *
 * <pre>
 * - command: curl -fsS http://127.0.0.1:8000/health
 *   register: health
 *   until: health.rc == 0
 *   retries: 10
 *   delay: 3
 * - apt: {upgrade: dist}
 *   async: 3600
 *   poll: 10
 * </pre>
 *
 * @param until   conditions that must all hold to stop retrying; empty: no retries
 * @param retries an int or a template; null: Ansible's 3
 * @param delay   seconds between attempts, an int or a template; null: Ansible's 5
 * @param async   the job's time limit in seconds, an int or a template; null: not async
 * @param poll    seconds between polls of an async job, an int or a template; null: Ansible's 15
 * @param mark    where the task's {@code async:} (or {@code until:}) is, for errors
 */
public record Polling(List<String> until, Object retries, Object delay, Object async, Object poll, Mark mark) {
    public static final Polling NONE = new Polling(List.of(), null, null, null, null, null);

    public Polling {
        until = Copies.list(until);
    }

    public boolean retrying() {
        return !until.isEmpty();
    }

    public boolean isAsync() {
        return async != null;
    }
}
