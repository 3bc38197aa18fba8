package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;

/**
 * {@code delegate_to} an inventory host and {@code delegate_facts}: where the task runs (the
 * delegate's connection), whose variables it sees (the delegating host's), where its change is
 * journaled (the delegate's ledger, as the delegating host's), and what a failed host's rollback
 * does there. Ansible's answers on the same play are in {@code src/test/resources/keywords/delegate-host.txt}
 * (checked on real hosts by DelegationE2E).
 */
class DelegationRunTest {
    @TempDir Path tmp;

    private LocalRun run(String yaml, int exit, String... hosts) throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.hostVars = Map.of("groups", Map.of("all", List.of("h1", "h2", "h3"), "db", List.of("h3")));
        assertEquals(exit, hosts.length == 0 ? run.runAsWritten(yaml) : run.run(yaml, hosts), run.results::toString);
        return run;
    }

    @Test
    void aDelegatedTaskRunsOverTheDelegatesConnectionWithTheDelegatingHostsVariables() throws Exception {
        LocalRun run = run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: write
                      copy: {dest: "TMP/out-{{ inventory_hostname }}", content: "{{ inventory_hostname }}\\n"}
                      delegate_to: "{{ groups['db'][0] }}"
                """, ExitCode.OK, "h1", "h2");
        assertEquals("h1\n", Files.readString(tmp.resolve("out-h1")));
        assertEquals("h2\n", Files.readString(tmp.resolve("out-h2")));
        assertTrue(run.transports.get("h3").scripts.stream().anyMatch(s -> s.contains("out-h1")), "ran over h3's connection");
        assertTrue(run.transports.get("h1").scripts.stream().noneMatch(s -> s.contains("out-h1")), "nothing of it ran on h1");
        assertEquals("-> h3", run.task("h1", "write").message().substring(0, 5));
        assertEquals(Status.CHANGED, run.task("h1", "write").status());
    }

    @Test
    void theChangeIsJournaledOnTheDelegateAsTheDelegatingHostsAndTwoHostsAtOnceGetDistinctEntries() throws Exception {
        LocalRun run = run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: write
                      copy: {dest: "TMP/j-{{ inventory_hostname }}", content: "x\\n"}
                      delegate_to: h3
                """, ExitCode.OK, "h1", "h2");
        Ledger h3 = run.allLedgers.get("h3");
        assertTrue(run.allLedgers.get("h1") == null || run.allLedgers.get("h1").entries().isEmpty(), "h1 itself changed nothing");
        assertNotNull(h3, "the run hands on h3's ledger though h3 is not a host of the play: " + run.ledgers.keySet());
        List<String> by = h3.entries().stream().map(e -> e.by() + " " + ((Undo.RestorePath) e.undo()).path().replace(tmp.toString(), "TMP")).sorted().toList();
        assertEquals(List.of("h1 TMP/j-h1", "h2 TMP/j-h2"), by);
        assertEquals(2, h3.entries().stream().map(Ledger.Entry::seq).distinct().count());
        assertTrue(run.journaling.stream().allMatch(j -> j.startsWith("h3 ")), run.journaling::toString);
    }

    @Test
    void aFailedHostsRollbackRestoresWhatItChangedOnTheDelegate() throws Exception {
        Files.writeString(tmp.resolve("shared"), "before\n");
        LocalRun run = run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: write
                      copy: {dest: TMP/shared, content: "after\\n"}
                      delegate_to: h3
                    - name: boom
                      command: "false"
                """, ExitCode.FAILED, "h1");
        assertEquals("before\n", Files.readString(tmp.resolve("shared")));
        TaskResult rb = run.of("h1").stream().filter(r -> r.task().equals("rollback") && r.message().startsWith("on h3")).findFirst().orElseThrow();
        assertEquals(Status.OK, rb.status(), rb.message());
        assertTrue(rb.message().startsWith("on h3 (delegated): restored 1 of 1 change(s)"), rb.message());
        assertTrue(run.allLedgers.get("h3").entries().get(0).restored());
    }

    @Test
    void aDelegatedChangeThatALaterHostChangedAgainIsLeftAndSaidSo() throws Exception {
        Files.writeString(tmp.resolve("shared"), "before\n");
        // h1 writes the file on h3 first, h2 a second later, and h1 fails after that.
        LocalRun run = run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: h2 waits
                      pause: {seconds: 1}
                      when: inventory_hostname == 'h2'
                    - name: write
                      copy: {dest: TMP/shared, content: "{{ inventory_hostname }}\\n"}
                      delegate_to: h3
                    - name: h1 waits
                      pause: {seconds: 3}
                      when: inventory_hostname == 'h1'
                    - name: boom
                      command: "false"
                      when: inventory_hostname == 'h1'
                """, ExitCode.FAILED, "h1", "h2");
        TaskResult rb = run.of("h1").stream().filter(r -> r.task().equals("rollback") && r.message().startsWith("on h3")).findFirst().orElseThrow();
        List<Ledger.Entry> entries = run.allLedgers.get("h3").entries();
        Ledger.Entry h1 = entries.stream().filter(e -> "h1".equals(e.by())).findFirst().orElseThrow();
        Ledger.Entry h2 = entries.stream().filter(e -> "h2".equals(e.by())).findFirst().orElseThrow();
        assertTrue(h2.seq() > h1.seq(), entries::toString);
        // Restoring h1's snapshot would undo h2's write too: left, and said so.
        assertEquals(Status.FAILED, rb.status(), rb.message());
        assertTrue(rb.message().contains("left as they are: " + tmp.resolve("shared") + " (a later change by h2, 'write', touched it too)"), rb.message());
        assertTrue(rb.message().contains("moat rollback " + run.runId + " --limit h3"), rb.message());
        assertEquals("h2\n", Files.readString(tmp.resolve("shared")));
        assertFalse(h1.restored());
    }

    @Test
    void delegateFactsGiveTheFactToTheDelegateWhichSeesItInItsNextPlay() throws Exception {
        LocalRun run = run("""
                - hosts: h1
                  gather_facts: false
                  tasks:
                    - name: give
                      set_fact: {given: "by-{{ inventory_hostname }}"}
                      delegate_to: h3
                      delegate_facts: true
                    - name: own
                      debug: {msg: "{{ given | default('unset') }}"}
                    - name: kept
                      set_fact: {kept: "mine"}
                      delegate_to: h3
                    - name: kept here
                      debug: {msg: "{{ kept }}"}
                - hosts: h3
                  gather_facts: false
                  tasks:
                    - name: seen
                      debug: {msg: "{{ given }} {{ kept | default('unset') }}"}
                """, ExitCode.OK);
        assertEquals("unset", run.task("h1", "own").message());
        assertEquals("mine", run.task("h1", "kept here").message(), "without delegate_facts the fact stays the delegating host's");
        assertEquals("by-h1 unset", run.task("h3", "seen").message());
        assertTrue(run.task("h1", "give").message().startsWith("-> h3"));
    }

    @Test
    void aHostTheInventoryDoesNotHaveIsRefusedByName() throws Exception {
        LocalRun run = run("- hosts: all\n  gather_facts: false\n  vars: {target: web9}\n  tasks:\n    - name: elsewhere\n"
                + "      command: \"true\"\n      delegate_to: \"{{ target }}\"\n", ExitCode.FAILED, "h1");
        assertEquals("delegate_to: web9 (from '{{ target }}') is not a host of the inventory; moat delegates to inventory hosts"
                + " (through their own connection) and to localhost", run.task("h1", "elsewhere").message());
    }

    @Test
    void anUnreachableDelegateFailsTheTaskAndTheDelegatingHostRollsBack() throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.down = List.of("h3");
        Files.writeString(tmp.resolve("mine"), "before\n");
        int exit = run.run("""
                - hosts: h1
                  gather_facts: false
                  tasks:
                    - copy: {dest: TMP/mine, content: "after\\n"}
                    - name: there
                      command: "true"
                      delegate_to: h3
                """, "h1");
        assertEquals(ExitCode.FAILED, exit, run.results::toString);
        assertEquals("delegate_to: h3: h3: connection refused", run.task("h1", "there").message());
        assertEquals("before\n", Files.readString(tmp.resolve("mine")), "h1 is reachable: its own change was rolled back");
    }
}
