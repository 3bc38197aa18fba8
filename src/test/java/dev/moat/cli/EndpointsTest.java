package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.MoatException;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventoryLoader;
import dev.moat.transport.Endpoint;

/** Connection variables are templated as Ansible templates them (its answers are in the fixture's header). */
class EndpointsTest {
    private static final Inventory INV = InventoryLoader.load(Path.of("src/test/resources/bad/templated-connection.yml"));

    @Test
    void hostUserAndPortAreRenderedWithTheHostsVariables() {
        Endpoint e = Endpoints.of("a", INV.templateVars("a"));
        assertEquals("a.example", e.address());
        assertEquals("deploy", e.user());
        assertEquals(2223, e.port());
    }

    @Test
    void aProxyCommandInTheSshArgsIsTheEndpointsAndSshWStaysABastion() {
        Endpoint e = Endpoints.of("p", Map.of("ansible_ssh_common_args", "-o ProxyCommand=\"nc -x proxy:1080 %h %p\""));
        assertEquals("nc -x proxy:1080 %h %p", e.proxyCommand());
        assertEquals(List.of(), e.jump());
        Endpoint w = Endpoints.of("p", Map.of("ansible_ssh_extra_args", "-o ProxyCommand=\"ssh -W %h:%p ops@b\""));
        assertNull(w.proxyCommand());
        assertEquals("b", w.jump().get(0).address());
    }

    @Test
    void extraVariablesReachTheTemplates() {
        Map<String, Object> vars = new LinkedHashMap<>(INV.templateVars("a"));
        vars.put("admin_user", "ops");
        assertEquals("ops", Endpoints.of("a", vars).user());
    }

    @Test
    void aRenderedPortThatIsNoNumberOrAnUndefinedVariableIsTheInventorysErrorNamingHostAndVariable() {
        MoatException port = assertThrows(MoatException.class, () -> Endpoints.of("b", INV.templateVars("b")));
        assertEquals(65, port.exitCode());
        assertEquals("host b: ansible_port is 'abc', not a port number (1-65535)", port.getMessage());
        MoatException user = assertThrows(MoatException.class, () -> Endpoints.of("c", INV.templateVars("c")));
        assertEquals(65, user.exitCode());
        assertEquals(true, user.getMessage().startsWith("host c: ansible_user: cannot render '{{ nobody_set_this }}': "), user.getMessage());
    }
}
