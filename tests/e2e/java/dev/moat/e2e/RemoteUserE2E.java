package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task's own {@code remote_user} on a real host (issue 12): in a play that logs in as root, tasks
 * with {@code remote_user: deploy} run over a second SSH connection as deploy (the testbed's
 * passwordless-sudo user): the file one writes in deploy's home is deploy's, and {@code become} on
 * top of that login writes as root through deploy's sudo. A rerun changes nothing; {@code moat check}
 * exits 0 with one read script per user a task runs as (root; deploy; root through deploy's sudo);
 * the run keeps one journal on the host, and {@code moat rollback last} restores what each user
 * wrote, deploy's file in deploy's home back with its bytes, mode and owner.
 */
class RemoteUserE2E {
    static Testbed tb;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;
    static final String HOST = "h2";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-remote-user");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        TestHost h = tb.host(HOST);
        // No ansible_user: it would beat every remote_user, as in Ansible.
        Files.writeString(dir.resolve("inventory.yml"), """
                all:
                  hosts:
                    %s:
                      ansible_host: %s
                      ansible_ssh_private_key_file: %s
                      ansible_ssh_common_args: -o UserKnownHostsFile=%s
                """.formatted(HOST, h.address(), tb.key(), tb.knownHosts()));
        inventory = dir.resolve("inventory.yml");
        tb.execOk(HOST, "rm -f /home/deploy/moat-ru.txt /etc/moat-ru.conf /etc/moat-ru-sudo.conf");
        ProcResult notes = tb.exec(HOST, "deploy", "umask 077; printf 'old notes\\n' > /home/deploy/notes.txt", null);
        assertTrue(notes.ok(), notes.describe());
    }

    @AfterAll
    static void tearDown() {
        if (tb != null) tb.exec(HOST, "rm -f /home/deploy/moat-ru.txt /home/deploy/notes.txt /etc/moat-ru.conf /etc/moat-ru-sudo.conf");
    }

    static ProcResult moat(Map<String, String> env, String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static String state() {
        return tb.execOk(HOST, "cd /; for f in home/deploy/notes.txt home/deploy/moat-ru.txt etc/moat-ru.conf etc/moat-ru-sudo.conf; do"
                + " if [ -e $f ]; then echo \"$f $(stat -c '%a %U:%G' $f) $(sha256sum < $f | cut -c1-16)\"; else echo \"$f absent\"; fi; done");
    }

    @Test
    void aTaskLogsInAsItsOwnRemoteUserAndTheRunRollsBackWhatEachUserWrote() throws Exception {
        String before = state();
        Path pb = dir.resolve("remote-user.yml");
        Files.writeString(pb, """
                - hosts: all
                  remote_user: root
                  gather_facts: false
                  tasks:
                    - name: root's file
                      copy: {content: "root\\n", dest: /etc/moat-ru.conf, mode: "0644"}
                    - name: deploy's file
                      remote_user: deploy
                      copy: {content: "hello\\n", dest: /home/deploy/moat-ru.txt, mode: "0640"}
                    - block:
                        - name: deploy's notes
                          lineinfile: {path: /home/deploy/notes.txt, line: added by moat}
                        - name: root through deploy's sudo
                          copy: {content: "sudo\\n", dest: /etc/moat-ru-sudo.conf, mode: "0600"}
                          become: true
                      remote_user: deploy
                """);
        ProcResult r = moat(env, "apply", pb.toString(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*\\n" + HOST + " +: ok=4 +changed=4 .*"), r.describe());
        String after = state();
        assertTrue(after.contains("home/deploy/moat-ru.txt 640 deploy:deploy "), "written as deploy: " + after);
        assertTrue(after.contains("home/deploy/notes.txt 600 deploy:deploy "), after);
        assertTrue(after.contains("etc/moat-ru.conf 644 root:root "), after);
        assertTrue(after.contains("etc/moat-ru-sudo.conf 600 root:root "), "become over deploy's login: " + after);
        assertEquals("old notes\nadded by moat\n", tb.execOk(HOST, "cat /home/deploy/notes.txt"));

        // One run, one journal on the host: its four entries, root's, whoever made the change.
        String runId;
        try (Stream<Path> s = Files.list(dir.resolve("home/runs"))) {
            runId = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).findFirst().orElseThrow().replace(".json", "");
        }
        assertEquals("700 root\n1\n2\n3\n4\n", tb.execOk(HOST, "cd /var/lib/moat/runs/" + runId + " && stat -c '%a %U' . && ls -1 | sort -n"));

        ProcResult again = moat(env, "apply", pb.toString(), "-i", inventory.toString());
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().matches("(?s).*\\n" + HOST + " +: ok=4 +changed=0 .*"), "a rerun changes nothing: " + again.describe());

        Path dump = dir.resolve("reads");
        ProcResult check = moat(Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_READ_DUMP", dump.toString()),
                "check", pb.toString(), "-i", inventory.toString());
        assertEquals(0, check.exitCode(), "check finds no drift: " + check.describe());
        List<String> scripts;
        try (Stream<Path> s = Files.list(dump)) {
            scripts = s.map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(3, scripts.size(), "one read round trip per user: root, deploy, root through deploy's sudo: " + scripts.size());
        assertEquals(1, scripts.stream().filter(x -> x.contains("/etc/moat-ru.conf")).count());
        assertEquals(1, scripts.stream().filter(x -> x.contains("/home/deploy/moat-ru.txt") && x.contains("/home/deploy/notes.txt")).count(),
                "deploy's two tasks read in one script");

        ProcResult rb = moat(env, "rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        assertTrue(rb.stdout().contains("rolled back: [" + HOST + "] restored 4 change(s)"), rb.describe());
        assertEquals(before, state(), "every user's change undone: deploy's notes back with their bytes, mode and owner");
    }
}
