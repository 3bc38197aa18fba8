package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Guard;
import dev.moat.journal.Snapshots;
import dev.moat.journal.Undo;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Risk;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.modules.Modules;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/**
 * The lockout guard of a firewall change whose plan also journaled /etc/default/ufw (a default
 * policy change, as the ufw module plans it): the guard's revert must put back every path of the
 * change and only then reload ufw, whether it fires by itself or at once after a failed
 * confirmation. A stand-in module plans like ufw; a stand-in journal logs each restore in order;
 * the guard is the real one, run with the local sh.
 */
class FirewallGuardTest {
    @TempDir Path tmp;
    final List<TaskResult> results = new ArrayList<>();

    /** Plans like {@code ufw: {default: deny}}: one step, undone by the firewall and /etc/default/ufw. */
    final class FakeFirewall implements Module<Object> {
        @Override public String name() { return "fakefw"; }
        @Override public Spec spec() { return Spec.of(); }
        @Override public Object bind(Args args) { return "x"; }
        @Override public List<Fact<?>> reads(Object a) { return List.of(); }
        @Override public Plan plan(Object a, Facts facts, PlanContext ctx) {
            return Plan.builder().risk(Risk.FIREWALL).step(Step.run("ufw default deny incoming", "echo changed >> '" + tmp.resolve("log") + "'"))
                    .undo(new Undo.RestoreFirewall()).undo(new Undo.RestorePath("/etc/default/ufw")).touches("ufw:status").build();
        }
    }

    /** Logs what each restore would put back, in the order the scripts run. */
    final class LoggingJournal implements Snapshots {
        @Override public String open(String runId) { return "true"; }
        @Override public String snapshot(String runId, int seq, Undo undo) { return "true"; }
        @Override public String restore(String runId, int seq, Undo undo) {
            String what = undo instanceof Undo.RestoreFirewall ? "/etc/ufw, then ufw reloaded" : dev.moat.journal.Restorer.describe(undo);
            return "echo 'restored " + what + "' >> '" + tmp.resolve("log") + "'";
        }
        @Override public String seal(String runId, int seq, Undo undo) { return "true"; }
        @Override public String changedSince(String runId, int seq, Undo undo) { return "true"; }
    }

    private Runner runner;
    private Duration guardTimeout = Duration.ofSeconds(60);

    private int run(String tasks, boolean reachableAfter) throws Exception {
        return run(tasks, reachableAfter, null);
    }

    private int run(String tasks, boolean reachableAfter, dev.moat.journal.RemoteLock lock) throws Exception {
        int[] connects = {0};
        return run(tasks, lock, (h, vars) -> {
            // The first connection is the run's; later ones are the guard's proof of reachability.
            if (connects[0]++ > 0 && !reachableAfter) throw new IOException("connection refused");
            return new LocalTransport(h);
        });
    }

    private int run(String tasks, dev.moat.journal.RemoteLock lock, Connector connector) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, "- hosts: all\n  tasks:\n" + tasks);
        Map<String, Module<?>> modules = new LinkedHashMap<>(Modules.builtin());
        modules.put("fakefw", new FakeFirewall());
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r1", new RunOptions(false, false, 1, null, null, null, false), modules,
                new Templar(tmp, new Secrets()), connector, collect, new LoggingJournal(),
                new Guard(tmp.resolve("guard").toString()), guardTimeout, lock, "test");
        runner = new Runner(setup);
        return runner.run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"), h -> Map.of());
    }

    private List<String> log() throws IOException {
        return Files.readAllLines(tmp.resolve("log"));
    }

    @Test
    void aFailedConfirmationRevertsEveryPathOfTheChangeAndReloadsUfwLast() throws Exception {
        assertEquals(ExitCode.FAILED, run("    - fakefw: {}\n", false));
        assertEquals(List.of("changed", "restored /etc/default/ufw", "restored /etc/ufw, then ufw reloaded"), log(),
                "the guard restored /etc/default/ufw before reloading, and the rollback did nothing twice");
        assertTrue(results.get(0).message().contains("the change was reverted"), results.get(0).message());
        try (Stream<Path> s = Files.list(tmp.resolve("guard"))) {
            Path script = s.filter(p -> p.toString().endsWith(".sh")).findFirst().orElseThrow();
            String text = Files.readString(script);
            assertTrue(text.indexOf("restored /etc/default/ufw") < text.indexOf("restored /etc/ufw, then ufw reloaded")
                    && text.contains("restored /etc/default/ufw"), "the script the timer runs after a SIGKILL is the same: " + text);
        }
    }

    @Test
    void aConfirmedChangeIsRolledBackLaterWithItsDefaultsBeforeTheReload() throws Exception {
        assertEquals(ExitCode.FAILED, run("    - fakefw: {}\n    - command: \"false\"\n", true));
        assertEquals(List.of("changed", "restored /etc/default/ufw", "restored /etc/ufw, then ufw reloaded"), log());
    }

    @Test
    void aKilledRunsStaleGuardIsRevertedWhenTheLockIsTakenAndTheRunSaysSo() throws Exception {
        Guard guard = new Guard(tmp.resolve("guard").toString());
        Process arm = new ProcessBuilder("setsid", "-w", "sh", "-c",
                guard.arm("killed-run", 7, "echo 'killed run reverted' >> '" + tmp.resolve("log") + "'", Duration.ofSeconds(60)))
                .redirectErrorStream(true).start();
        arm.getInputStream().readAllBytes();
        assertEquals(0, arm.waitFor());
        dev.moat.journal.RemoteLock lock = new dev.moat.journal.RemoteLock(tmp.resolve("lock").toString(), guard);
        assertEquals(ExitCode.OK, run("    - shell: echo run >> " + tmp.resolve("log") + "\n", true, lock));
        assertEquals(List.of("killed run reverted", "run"), log(), "reverted before this run's first task");
        String note = "a killed run's unconfirmed firewall/sshd change (run killed-run) was reverted before this run";
        assertEquals(note, results.get(0).message());
        assertEquals(note, runner.recap().get("h1").note());
    }

    /** The run's own connection first, then the guard's proofs: each one answers as {@code proofs} says, in turn. */
    private Connector proofs(List<String> connected, String... proofs) {
        return (h, vars) -> {
            int n = connected.size();
            connected.add(n == 0 ? "run" : proofs[Math.min(n - 1, proofs.length - 1)]);
            if (n == 0) return new LocalTransport(h);
            switch (proofs[Math.min(n - 1, proofs.length - 1)]) {
                case "timeout": throw new IOException("connecting to h1", new java.net.SocketTimeoutException("connect timed out"));
                case "refused": throw new IOException("connection refused");
                default: return new LocalTransport(h);
            }
        };
    }

    @Test
    void aProofThatTimesOutIsTriedAgainAndTheChangeStaysWhenALaterOneWorks() throws Exception {
        List<String> connected = new ArrayList<>();
        assertEquals(ExitCode.OK, run("    - fakefw: {}\n", null, proofs(connected, "timeout", "timeout", "ok")));
        assertEquals(List.of("run", "timeout", "timeout", "ok"), connected, "two timed-out proofs, a second apart, then one that worked");
        assertEquals(List.of("changed"), log(), "nothing reverted");
    }

    @Test
    void aRefusedProofIsFinalAtOnceAndTheChangeIsReverted() throws Exception {
        List<String> connected = new ArrayList<>();
        assertEquals(ExitCode.FAILED, run("    - fakefw: {}\n", null, proofs(connected, "refused", "ok")));
        assertEquals(List.of("run", "refused"), connected, "a refusal is not retried");
        assertEquals(List.of("changed", "restored /etc/default/ufw", "restored /etc/ufw, then ufw reloaded"), log());
        assertTrue(results.get(0).message().contains("connection refused"), results.get(0).message());
    }

    @Test
    void proofsThatKeepTimingOutStopAtHalfTheGuardsTimeoutAndSayHowManyWereTried() throws Exception {
        List<String> connected = new ArrayList<>();
        guardTimeout = Duration.ofSeconds(5);
        assertEquals(ExitCode.FAILED, run("    - fakefw: {}\n", null, proofs(connected, "timeout")));
        int proofs = connected.size() - 1;
        assertTrue(proofs >= 2 && proofs <= 3, "a second apart within 2.5 s: " + connected);
        assertTrue(results.get(0).message().contains("(the last of " + proofs + " attempts in "), results.get(0).message());
        assertEquals(List.of("changed", "restored /etc/default/ufw", "restored /etc/ufw, then ufw reloaded"), log());
    }
}
