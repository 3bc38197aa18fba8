package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.ArgException;
import dev.moat.module.FactKeys;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/** The hardening's last word, from the audit fixtures of {@code moat scan --inside}. */
class ExposureTest {
    final Exposure mod = new Exposure();

    static String audit(String name) throws IOException {
        try (InputStream in = ExposureTest.class.getResourceAsStream("/scan/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    Plan plan(Map<String, Object> args, String fixture, FakeContext ctx) throws Exception {
        Exposure.ExposureArgs a = LocalHost.bind(mod, args);
        FakeFacts f = new FakeFacts().put(mod.reads(a).get(0).key(), audit(fixture));
        return mod.plan(a, f, ctx);
    }

    @Test
    void anExposedHostFailsTheTaskNamingEachPortAndItsFix() {
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of(), "audit-exposed.txt", FakeContext.apply()));
        String m = e.getMessage();
        assertTrue(m.contains("AI port exposure(s) remain reachable from other hosts"), m);
        assertTrue(m.contains("dnat 8000: iptables nat DOCKER"), m);
        assertTrue(m.contains("container ai_vllm_1: publishes 8000/tcp on 0.0.0.0:8000"), m);
        assertTrue(m.contains("(fix: compose_ports"), m);
    }

    @Test
    void inACheckRunAnExposureIsDriftNotInSync() throws Exception {
        Plan p = plan(Map.of(), "audit-exposed.txt", FakeContext.checkMode());
        assertTrue(p.changes());
        assertTrue(p.steps().get(0).describe().startsWith("would fail: "), p.steps().get(0).describe());
    }

    @Test
    void aHardenedHostPasses() throws Exception {
        Plan p = plan(Map.of(), "audit-hardened.txt", FakeContext.apply());
        assertFalse(p.changes());
    }

    @Test
    void onlyTheNamedPortsCount() throws Exception {
        // Nothing in the fixture publishes 9998 or 6006: with only those ports checked, the host passes.
        assertFalse(plan(Map.of("ports", List.of(9998, 6006)), "audit-exposed.txt", FakeContext.apply()).changes());
        assertThrows(TaskException.class, () -> plan(Map.of("ports", List.of(9998), "extra_ports", List.of("8000")),
                "audit-exposed.txt", FakeContext.apply()));
        assertThrows(ArgException.class, () -> LocalHost.bind(mod, Map.of("extra_ports", List.of("http"))));
        assertThrows(ArgException.class, () -> LocalHost.bind(mod, Map.of("search", List.of("opt"))));
    }

    @Test
    void itsReadGoesStaleAfterAnyChangeOnTheHost() throws Exception {
        String key = mod.reads(LocalHost.bind(mod, Map.of())).get(0).key();
        assertTrue(key.startsWith(FactKeys.HOST));
        for (String touched : List.of("file:/etc/ufw", "ufw:status", "container:raw", "pkg:nginx")) {
            assertTrue(FactKeys.invalidates(touched, key), touched);
        }
        assertFalse(FactKeys.invalidates("file:/etc/ufw", "ufw:status"), "other keys keep their own rules");
    }
}
