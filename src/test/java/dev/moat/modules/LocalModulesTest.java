package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.ArgException;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

class LocalModulesTest {
    final Debug debug = new Debug();
    final Assert anAssert = new Assert();

    @Test
    void debugCarriesItsMessage() throws Exception {
        Plan p = debug.plan(LocalHost.bind(debug, Map.of("msg", "hello h1")), new FakeFacts(), FakeContext.apply());
        assertEquals("hello h1", p.message());
        assertFalse(p.changes());
        Plan v = debug.plan(LocalHost.bind(debug, Map.of("var", "ports")), new FakeFacts(), FakeContext.apply().expr("ports", List.of(8000, 8188)));
        assertEquals("ports: [8000,8188]", v.message());
        assertTrue(debug.local());
        assertThrows(ArgException.class, () -> LocalHost.bind(debug, Map.of("msg", "a", "var", "b")));
    }

    @Test
    void assertPassesOrNamesTheFalseExpression() throws Exception {
        FakeContext ctx = FakeContext.apply().expr("x > 1", true).expr("y is defined", false).expr("items", List.of());
        Plan ok = anAssert.plan(LocalHost.bind(anAssert, Map.of("that", List.of("x > 1"), "success_msg", "fine")), new FakeFacts(), ctx);
        assertEquals("fine", ok.message());
        assertNull(anAssert.plan(LocalHost.bind(anAssert, Map.of("that", "x > 1", "quiet", true)), new FakeFacts(), ctx).message());
        TaskException e = assertThrows(TaskException.class, () -> anAssert.plan(
                LocalHost.bind(anAssert, Map.of("that", List.of("x > 1", "y is defined"), "fail_msg", "set y")), new FakeFacts(), ctx));
        assertEquals("set y (false: y is defined)", e.getMessage());
        assertThrows(TaskException.class, () -> anAssert.plan(LocalHost.bind(anAssert, Map.of("that", List.of("items"))), new FakeFacts(), ctx),
                "an empty list is false");
        assertEquals("that", assertThrows(ArgException.class, () -> LocalHost.bind(anAssert, Map.of("fail_msg", "x"))).arg());
    }

    @Test
    void registryHasEveryCoreModuleUnderItsName() {
        Map<String, Module<?>> m = Modules.builtin();
        // Every core module, in this order; a new module is one line in Modules and needs no line here.
        List<String> core = List.of("command", "shell", "copy", "template", "file", "lineinfile", "apt", "service", "ufw", "htpasswd",
                "compose_ports", "nginx_vhost", "certbot", "debug", "assert");
        assertEquals(core, m.keySet().stream().filter(core::contains).toList());
        m.forEach((name, module) -> assertEquals(name, module.name()));
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", debug));
    }
}
