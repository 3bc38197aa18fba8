package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;

/** The gathering snippet on this machine: it keeps the batch's shell alive, leaves stdin unread, and parses. */
class HostFactsTest {
    @Test
    void theSnippetRunsInsideABatchAndParsesOnThisMachine() throws Exception {
        HostFacts fact = new HostFacts();
        FactOutput run = LocalHost.sh("LC_ALL=C; export LC_ALL\n{\n" + fact.script() + "\n} >/dev/null 2>&1\necho \"rc $?\"\nread -r x; echo \"$x\"\n",
                "stdin stays unread\n".getBytes());
        assertEquals("rc 0\nstdin stays unread\n", run.text());
        Map<String, Object> f = fact.parse(LocalHost.read(fact));
        assertInstanceOf(String.class, f.get("os_family"));
        assertInstanceOf(Integer.class, f.get("memtotal_mb"));
        assertInstanceOf(Integer.class, f.get("processor_vcpus"));
        assertTrue((Integer) f.get("processor_vcpus") > 0);
        assertInstanceOf(List.class, f.get("mounts"));
        assertInstanceOf(Map.class, f.get("date_time"));
        assertEquals(System.getProperty("os.arch").equals("amd64") ? "x86_64" : f.get("architecture"), f.get("architecture"));
    }

    @Test
    void parsesSectionsByTheirHeaders() {
        Map<String, String> s = HostFactsParser.sections("junk\n@@a\n1\n2\n@@iface eth0\naddress=x\n\n@@b\n");
        assertEquals(Map.of("a", "1\n2", "iface eth0", "address=x", "b", ""), s);
    }
}
