package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Every ssh argument an inventory gives is honoured, harmlessly not needed, or refused by name. */
class SshArgsTest {
    @Test
    void whatMoatImplementsOrDoesNotNeedPasses() {
        assertEquals(List.of(), SshArgs.problems("-o UserKnownHostsFile=/k -o StrictHostKeyChecking=yes", false));
        assertEquals(List.of(), SshArgs.problems("-J ops@bastion -o ControlMaster=auto -o ControlPersist=60s -C -q", false));
        assertEquals(List.of(), SshArgs.problems("-o ProxyCommand=\"ssh -W %h:%p -q ops@bastion\" -o 'ServerAliveInterval 30'", false));
    }

    @Test
    void anythingElseIsRefusedByName() {
        List<String> p = SshArgs.problems("-o ForwardAgent=yes", false);
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("ssh option 'ForwardAgent' is not supported by moat"), p.get(0));
        assertTrue(SshArgs.problems("-F /etc/other_config", false).get(0).startsWith("ssh argument '-F' is not supported"));
        assertEquals(List.of(), SshArgs.problems("-o ProxyCommand='nc -x proxy:1080 %h %p'", false), "any ProxyCommand runs as a process");
    }

    @Test
    void hostKeyCheckingIsNeverTurnedOffByAnInventoryAlone() {
        String off = SshArgs.problems("-o StrictHostKeyChecking=no", false).get(0);
        assertTrue(off.contains("unless you give --accept-new-host-keys"), off);
        assertEquals(1, SshArgs.problems("-o StrictHostKeyChecking=accept-new", false).size());
        assertEquals(List.of(), SshArgs.problems("-o StrictHostKeyChecking=no", true));
    }
}
