package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Guard;
import dev.moat.journal.Restorer;
import dev.moat.journal.ServiceReload;
import dev.moat.journal.Snapshots;
import dev.moat.journal.Undo;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.modules.Modules;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/**
 * The lockout guard of sshd changes is decided from the plan's risks: a change that risks SSH arms
 * a guard whose revert restores every path the run's SSH changes wrote, newest first, then reloads
 * sshd; a plan that declares no risk is not guarded, whatever path it writes. The guard is the real
 * one, run with the local sh; every change is confirmed, so no revert (and no sshd reload) runs here.
 */
class SshGuardTest {
    @TempDir Path tmp;

    /** Writes one path; declares the risks of writing it only when {@code declares}. */
    record FakeWrite(String name, String path, boolean declares) implements Module<Object> {
        @Override public Spec spec() { return Spec.of(); }
        @Override public Object bind(Args args) { return path; }
        @Override public List<Fact<?>> reads(Object a) { return List.of(); }
        @Override public Plan plan(Object a, Facts facts, PlanContext ctx) {
            Plan.Builder b = Plan.builder().step(Step.run("write " + path, "true")).undo(new Undo.RestorePath(path));
            return declares ? b.writes(path).build() : b.build();
        }
    }

    /** Restore scripts that only say what they would put back. */
    static final class EchoJournal implements Snapshots {
        @Override public String open(String runId) { return "true"; }
        @Override public String snapshot(String runId, int seq, Undo undo) { return "true"; }
        @Override public String restore(String runId, int seq, Undo undo) { return "echo 'restored " + Restorer.describe(undo) + "'"; }
        @Override public String seal(String runId, int seq, Undo undo) { return "true"; }
        @Override public String changedSince(String runId, int seq, Undo undo) { return "true"; }
    }

    @Test
    void anSshRiskArmsAGuardThatRestoresEverySshPathOfTheRunThenReloadsSshd() throws Exception {
        Map<String, Module<?>> modules = new LinkedHashMap<>(Modules.builtin());
        for (FakeWrite m : List.of(new FakeWrite("ssh_a", "/etc/ssh/a", true), new FakeWrite("srv_b", "/srv/b", true),
                new FakeWrite("ssh_c", "/etc/ssh/c", true), new FakeWrite("undeclared", "/etc/ssh/d", false))) {
            modules.put(m.name(), m);
        }
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, "- hosts: all\n  tasks:\n    - ssh_a: {}\n    - srv_b: {}\n    - ssh_c: {}\n    - undeclared: {}\n");
        List<TaskResult> results = new ArrayList<>();
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        Path guards = tmp.resolve("guard");
        RunSetup setup = new RunSetup("r1", new RunOptions(false, false, 1, null, null, null, false), modules,
                new Templar(tmp, new Secrets()), (h, vars) -> new LocalTransport(h), collect, new EchoJournal(),
                new Guard(guards.toString()), Duration.ofSeconds(60), null, "test");
        int exit = new Runner(setup).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"), h -> Map.of());
        assertEquals(ExitCode.OK, exit, results.toString());

        assertTrue(Files.exists(guards.resolve("guard-r1-1.sh")), "the first /etc/ssh write was guarded");
        assertFalse(Files.exists(guards.resolve("guard-r1-2.sh")), "a write elsewhere is not");
        assertFalse(Files.exists(guards.resolve("guard-r1-4.sh")), "nor a plan that declares no risk, whatever it writes");
        String revert = Files.readString(guards.resolve("guard-r1-3.sh"));
        int c = revert.indexOf("restored /etc/ssh/c"), a = revert.indexOf("restored /etc/ssh/a");
        int reload = revert.indexOf(ServiceReload.script("sshd"));
        assertTrue(c >= 0 && a > c && reload > a, "newest first, then sshd reloaded: " + revert);
        assertFalse(revert.contains("/srv/b"), revert);
    }
}
