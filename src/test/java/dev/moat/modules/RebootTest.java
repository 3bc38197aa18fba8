package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.Reconnect;
import dev.moat.module.TaskException;

/** reboot's and wait_for_connection's decisions, from fixtures; the waiting itself is ReconnectRunTest's and RebootE2E's. */
class RebootTest {
    private final Reboot reboot = new Reboot();
    private final WaitForConnection wait = new WaitForConnection();

    private Reboot.RebootArgs args(Map<String, ?> raw) throws ArgException {
        return reboot.bind(Args.check(reboot.spec(), raw));
    }

    @Test
    void linuxRebootsWithShutdownFoundInTheSearchPathsAsAnsibleDoes() throws Exception {
        // Ansible ran "/sbin/shutdown -r 0 \"ansible fixture\"" (src/test/resources/ansible/reboot/results.json).
        String c = Reboot.command(args(Map.of("msg", "ansible fixture")));
        assertTrue(c.contains("for d in /sbin /bin /usr/sbin /usr/bin /usr/local/sbin; do if [ -e \"$d\"/shutdown ]"), c);
        assertTrue(c.endsWith("\"$bin\" -r 0 'ansible fixture'\n"), c);
        assertTrue(Reboot.command(args(Map.of("pre_reboot_delay", 150))).contains(" -r 2 'Reboot initiated by Ansible'"), "whole minutes");
        assertTrue(Reboot.command(args(Map.of("pre_reboot_delay", -5))).contains(" -r 0 "), "a negative delay is none");
        assertEquals("/usr/bin/systemctl reboot", Reboot.command(args(Map.of("reboot_command", "/usr/bin/systemctl reboot"))));
        assertTrue(Reboot.command(args(Map.of("reboot_command", "reboot", "search_paths", List.of("/opt/bin")))).contains("for d in /opt/bin;"));
    }

    @Test
    void thePlanIsOneIrreversibleStepThatTouchesEverything() throws Exception {
        Reboot.RebootArgs a = args(Map.of("msg", "driver"));
        FakeFacts facts = new FakeFacts().put("boot:" + Reboot.DEFAULT_BOOT_COMMAND, "0b6e\n");
        Plan p = reboot.plan(a, facts, FakeContext.apply());
        assertEquals(1, p.steps().size());
        assertEquals(List.of(new Undo.Irreversible("reboot of the host (driver)")), p.undo());
        assertEquals(java.util.Set.of("*"), p.touches());
        assertEquals("would reboot", reboot.plan(a, new FakeFacts(), FakeContext.checkMode()).message(), "check mode reads no boot id");
        assertTrue(reboot.plan(a, new FakeFacts(), FakeContext.checkMode()).changes());
        Reconnect r = reboot.reconnect(a, facts);
        assertEquals("0b6e", r.previousBoot());
        assertEquals(600, r.timeout());
        assertEquals("whoami", r.testCommand());
        assertTrue(r.reboots() && r.backoff());
    }

    @Test
    void anUnreadableBootIdFailsTheTaskAsAnsiblesDoes() throws Exception {
        FakeFacts facts = new FakeFacts().put("boot:nope", new FactOutput(127, new byte[0], "sh: nope: not found".getBytes()));
        TaskException e = assertThrows(TaskException.class, () -> reboot.plan(args(Map.of("boot_time_command", "nope")), facts, FakeContext.apply()));
        assertEquals("reboot: failed to get host boot time info, rc: 127, stdout: , stderr: sh: nope: not found", e.getMessage());
    }

    @Test
    void argumentsAreChecked() throws Exception {
        assertEquals(900, args(Map.of("reboot_timeout_sec", 900)).rebootTimeout(), "Ansible's _sec aliases");
        assertThrows(ArgException.class, () -> args(Map.of("reboot_timeout", 0)));
        assertThrows(ArgException.class, () -> args(Map.of("reboot_command", " ")));
        assertNull(args(Map.of("connect_timeout", 0)).connectTimeout(), "0: the run's own connect timeout");
        assertThrows(ArgException.class, () -> wait.bind(Args.check(wait.spec(), Map.of("timeout", 0))));
        assertThrows(ArgException.class, () -> wait.bind(Args.check(wait.spec(), Map.of("sleep", -1))));
    }

    @Test
    void waitForConnectionWaitsForAnyAnswerAndIsSkippedInCheckMode() throws Exception {
        WaitForConnection.WaitArgs a = wait.bind(Args.check(wait.spec(), Map.of("delay", 5, "connect_timeout", 3)));
        Reconnect r = wait.reconnect(a, new FakeFacts());
        assertFalse(r.reboots());
        assertEquals(5, r.delay());
        assertEquals(600, r.timeout());
        assertEquals(3, r.connectTimeout());
        assertEquals("wait_for_connection: skipping for check_mode", wait.plan(a, new FakeFacts(), FakeContext.checkMode()).skip());
        assertFalse(wait.plan(a, new FakeFacts(), FakeContext.apply()).changes());
    }
}
