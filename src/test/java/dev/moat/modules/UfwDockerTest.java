package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.Plan;
import dev.moat.module.Risk;
import dev.moat.module.TaskException;
import dev.moat.modules.ufw.DockerGuard;

class UfwDockerTest {
    final UfwDocker mod = new UfwDocker();
    static final String AFTER = "*filter\n:ufw-after-input - [0:0]\nCOMMIT\n";
    static final String DIR = "directory 755 0 0 4096 root root\n";

    static FakeFacts facts(String v4, String v6) {
        FakeFacts f = new FakeFacts().put("file:/etc/ufw", DIR);
        f.put("file:/etc/ufw/after.rules", v4 == null ? "absent\n" : UfwTest.file(v4));
        f.put("file:/etc/ufw/after6.rules", v6 == null ? "absent\n" : UfwTest.file(v6));
        return f;
    }

    Plan plan(Map<String, Object> args, FakeFacts f, FakeContext ctx) throws Exception {
        return mod.plan(LocalHost.bind(mod, args), f, ctx);
    }

    @Test
    void writesBothFamiliesThenReloadsUnderTheLockoutGuard() throws Exception {
        Plan p = plan(Map.of(), facts(AFTER, AFTER), FakeContext.apply());
        assertEquals(3, p.steps().size(), p.steps().toString());
        assertTrue(p.steps().get(0).describe().startsWith("write /etc/ufw/after.rules"));
        assertTrue(p.steps().get(1).describe().startsWith("write /etc/ufw/after6.rules"));
        assertTrue(new String(p.steps().get(1).stdin()).endsWith(DockerGuard.block(true)));
        assertTrue(p.steps().get(2).script().contains("ufw reload"));
        assertTrue(p.risks().contains(Risk.FIREWALL));
        assertTrue(p.undo().contains(new Undo.RestoreFirewall()));
        assertEquals(2, p.diffs().size());
    }

    @Test
    void aCurrentBlockIsConvergedAndAbsentTakesItOut() throws Exception {
        String v4 = DockerGuard.apply(AFTER, true, false);
        String v6 = DockerGuard.apply(AFTER, true, true);
        assertFalse(plan(Map.of(), facts(v4, v6), FakeContext.apply()).changes());
        Plan out = plan(Map.of("state", "absent"), facts(v4, v6), FakeContext.apply());
        assertEquals(AFTER, new String(out.steps().get(0).stdin()));
        assertFalse(plan(Map.of("state", "absent"), facts(AFTER, AFTER), FakeContext.apply()).changes());
    }

    @Test
    void withoutUfwItFailsUnlessACheckRunMayInstallItFirst() throws Exception {
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of(), facts(null, null), FakeContext.apply()));
        assertTrue(e.getMessage().contains("/etc/ufw/after.rules is missing: install ufw first"), e.getMessage());
        assertTrue(plan(Map.of(), facts(null, null), FakeContext.checkMode()).changes());
        assertFalse(plan(Map.of("state", "absent"), facts(null, null), FakeContext.apply()).changes());
    }

    @Test
    void aHalfBlockWrittenByHandIsRefusedNotGuessedAt() {
        TaskException e = assertThrows(TaskException.class,
                () -> plan(Map.of(), facts(AFTER + DockerGuard.BEGIN + "\n", AFTER), FakeContext.apply()));
        assertTrue(e.getMessage().contains("without '" + DockerGuard.END + "'"), e.getMessage());
    }
}
