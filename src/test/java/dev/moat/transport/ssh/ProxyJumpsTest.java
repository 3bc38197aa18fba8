package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moat.transport.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ProxyJump values and Ansible's ssh args. */
class ProxyJumpsTest {
    private static Endpoint hop(String host, int port, String user) {
        return new Endpoint(host, host, port, user, null, null, List.of());
    }

    @Test
    void proxyJumpValues() {
        assertEquals(List.of(hop("bastion", 22, null)), ProxyJumps.parse("bastion"));
        assertEquals(List.of(hop("b1.example", 2222, "ops"), hop("b2", 22, "root")),
                ProxyJumps.parse("ops@b1.example:2222, root@b2"));
        assertEquals(List.of(hop("fe80::1", 2200, "u")), ProxyJumps.parse("u@[fe80::1]:2200"));
        assertEquals(List.of(hop("b", 2022, "u")), ProxyJumps.parse("ssh://u@b:2022"));
        assertEquals(List.of(), ProxyJumps.parse("none"));
        assertEquals(List.of(), ProxyJumps.parse(null));
        assertThrows(IllegalArgumentException.class, () -> ProxyJumps.parse("b:notaport"));
        assertThrows(IllegalArgumentException.class, () -> ProxyJumps.parse("b:70000"));
    }

    @Test
    void ansibleSshArgs() {
        assertEquals(List.of(hop("bastion", 2222, "ops")),
                ProxyJumps.fromSshArgs("-o ProxyJump=ops@bastion:2222"));
        assertEquals(List.of(hop("bastion", 22, "ops")),
                ProxyJumps.fromSshArgs("-o StrictHostKeyChecking=no -oProxyJump=ops@bastion -o ProxyJump=second"));
        assertEquals(List.of(hop("b1", 22, null), hop("b2", 22, null)), ProxyJumps.fromSshArgs("-J b1,b2"));
        assertEquals(List.of(hop("b1", 22, null)), ProxyJumps.fromSshArgs("-Jb1"));
        assertEquals(List.of(hop("b", 22, "me")), ProxyJumps.fromSshArgs("-o 'ProxyJump me@b'"));
        assertEquals(List.of(), ProxyJumps.fromSshArgs("-o ControlMaster=auto -o ControlPersist=60s"));
        assertEquals(List.of(), ProxyJumps.fromSshArgs(null));
    }

    @Test
    void olderProxyCommandForm() {
        assertEquals(List.of(new Endpoint("bastion.example", "bastion.example", 2222, "ops", "/k/b", null, List.of())),
                ProxyJumps.fromSshArgs("-o ProxyCommand=\"ssh -W %h:%p -q -p 2222 -i /k/b ops@bastion.example\""));
        assertEquals(List.of(hop("b", 22, "admin")),
                ProxyJumps.fromSshArgs("-o 'ProxyCommand=ssh -l admin -W %h:%p b'"));
        assertEquals(List.of(), ProxyJumps.fromSshArgs("-o ProxyCommand=\"nc -X 5 -x proxy:1080 %h %p\""));
    }

    @Test
    void shellWords() {
        assertEquals(List.of("-o", "a b", "c'd", "e\"f"), ProxyJumps.shellWords("-o 'a b' \"c'd\" e\\\"f"));
    }
}
