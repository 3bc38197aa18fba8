package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;
import dev.moat.modules.Modules;
import dev.moat.playbook.PlaybookLoader;

/**
 * Check mode is decided once per task: a {@code check_mode: false} task inside a check run is a
 * real change, journaled, in the ledger the run record stores, and rolled back when a later task
 * fails; drift stays about the tasks that only checked.
 */
class CheckModeTest {
    @TempDir Path tmp;

    private LocalRun checkRun() {
        LocalRun run = new LocalRun(tmp);
        run.options = new RunOptions(true, true, 10, null, null, null, false);
        return run;
    }

    @Test
    void aCheckModeFalseChangeInACheckRunIsJournaledAndRolledBackWhenALaterTaskFails() throws Exception {
        Files.writeString(tmp.resolve("f"), "old\n");
        LocalRun run = checkRun();
        String play = """
                - hosts: all
                  tasks:
                    - name: real change
                      copy: {dest: TMP/f, content: "new\\n"}
                      check_mode: false
                    - name: seen
                      command: cat TMP/f
                      register: seen
                      check_mode: false
                      changed_when: false
                    - name: fails
                      assert: {that: ["1 == 2"]}
                """;
        assertEquals(ExitCode.FAILED, run.run(play, "h1"));
        assertEquals("new", run.task("h1", "seen").registered().get("stdout"), "the change was made for real");
        assertEquals("old\n", Files.readString(tmp.resolve("f")), "and rolled back after the failure");
        TaskResult rb = run.task("h1", "rollback");
        assertEquals(Status.OK, rb.status(), rb.message());
        assertTrue(rb.message().startsWith("restored this run's 1 change(s)"), rb.message());

        Ledger ledger = run.ledgers.get("h1");
        assertNotNull(ledger, "the ledger reaches the run record");
        Ledger.Entry copy = ledger.entries().get(0);
        assertEquals(new Undo.RestorePath(tmp.resolve("f").toString()), copy.undo());
        assertEquals("real change", copy.task());
        assertTrue(copy.restored(), "marked restored, so 'rollback last' moves on");
        assertTrue(Files.exists(tmp.resolve("journal-h1").resolve(run.runId).resolve(String.valueOf(copy.seq()))),
                "snapshotted on the host before the change");
        assertTrue(run.journaling.contains("h1 " + copy.seq() + " ahead"), "written ahead to the record: " + run.journaling);
        Ledger.Entry cat = ledger.entries().get(1);
        assertInstanceOf(Undo.Irreversible.class, cat.undo());
        assertTrue(cat.restored(), "an irreversible entry is settled once reported");
    }

    @Test
    void aRealChangeInACheckRunIsNotDrift() throws Exception {
        LocalRun run = checkRun();
        String play = "- hosts: all\n  tasks:\n    - copy: {dest: TMP/f, content: x}\n      check_mode: false\n";
        assertEquals(ExitCode.OK, run.run(play, "h1"));
        assertEquals(Status.CHANGED, run.of("h1").get(0).status());
        assertEquals("x", Files.readString(tmp.resolve("f")));

        run.reset();
        Files.delete(tmp.resolve("f"));
        assertEquals(ExitCode.DRIFT, run.run(play + "    - copy: {dest: TMP/g, content: y}\n", "h1"), "a checked task's change is");
        assertFalse(Files.exists(tmp.resolve("g")));
    }

    @Test
    void aFailedCheckRunWithNothingRealToUndoSaysNothingAboutRollback() throws Exception {
        LocalRun run = checkRun();
        assertEquals(ExitCode.FAILED, run.run("- hosts: all\n  tasks:\n    - assert: {that: [\"1 == 2\"]}\n", "h1"));
        assertTrue(run.of("h1").stream().noneMatch(r -> r.module().equals("rollback")), run.results.toString());
    }

    @Test
    void checkModeTrueInAnApplyOnlyChecks() throws Exception {
        LocalRun run = new LocalRun(tmp);
        assertEquals(ExitCode.OK, run.run("- hosts: all\n  tasks:\n    - copy: {dest: TMP/f, content: x}\n      check_mode: true\n", "h1"));
        assertEquals(Status.CHANGED, run.of("h1").get(0).status());
        assertFalse(Files.exists(tmp.resolve("f")));
        assertNull(run.ledgers.get("h1"));
    }

    @Test
    void aCheckRunChangesHostsWhenAnyTaskHandlerOrBlockTaskSaysCheckModeFalse() throws Exception {
        assertFalse(changesHosts("  tasks:\n    - copy: {dest: /x, content: x}\n      check_mode: true\n    - debug: {msg: hi}\n"));
        assertTrue(changesHosts("  tasks:\n    - debug: {msg: hi}\n      check_mode: false\n"));
        assertTrue(changesHosts("  tasks:\n    - block:\n        - debug: {msg: a}\n      always:\n        - debug: {msg: b}\n          check_mode: false\n"));
        assertTrue(changesHosts("  tasks: []\n  handlers:\n    - name: h\n      debug: {msg: b}\n      check_mode: false\n"));
        assertTrue(changesHosts("  check_mode: \"{{ dry }}\"\n  tasks:\n    - debug: {msg: hi}\n"), "a template may render false on a host");
        assertFalse(changesHosts("  tasks:\n    - shell: ss -tln\n      check_mode: false\n      changed_when: false\n"),
                "a command declared read-only changes nothing");
        assertTrue(changesHosts("  tasks:\n    - shell: ss -tln\n      check_mode: false\n"), "a command that may change");
        assertTrue(changesHosts("  tasks:\n    - copy: {dest: /x, content: x}\n      check_mode: false\n      changed_when: false\n"),
                "only a command's changed_when: false says it changes nothing");
    }

    private boolean changesHosts(String play) throws Exception {
        Path pb = tmp.resolve("p.yml");
        Files.writeString(pb, "- hosts: all\n" + play);
        return CheckMode.changesHosts(PlaybookLoader.load(pb, Catalog.of(Modules.builtin())));
    }
}
