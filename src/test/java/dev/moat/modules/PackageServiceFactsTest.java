package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.facts.PackagesFact;
import dev.moat.facts.ServicesFact;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * package_facts and service_facts against Ansible's answers recorded on the same machine
 * (tests/tools/record-package-facts, tests/tools/record-service-facts), and a systemd host's
 * output written by hand (no systemd host here).
 */
class PackageServiceFactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/test/resources/facts");

    private static FactOutput out(Path p) throws Exception {
        return new FactOutput(0, Files.readAllBytes(p), new byte[0]);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plan(Object module, Map<String, ?> args, FakeFacts facts) throws Exception {
        Plan p;
        if (module instanceof PackageFacts m) p = m.plan(m.bind(Args.check(m.spec(), args)), facts, FakeContext.apply());
        else {
            ServiceFacts m = (ServiceFacts) module;
            p = m.plan(m.bind(Args.check(m.spec(), args)), facts, FakeContext.apply());
        }
        assertFalse(p.changes());
        return p.result().isEmpty() ? null : (Map<String, Object>) ((Map<String, Object>) p.result().get("ansible_facts"));
    }

    @Test
    void packagesAsAnsibleListsThemForEveryKeyMoatProvides() throws Exception {
        FakeFacts facts = new FakeFacts().put(PackagesFact.KEY, out(DIR.resolve("packages/dpkg.txt")));
        JsonNode moat = JSON.valueToTree(plan(new PackageFacts(), Map.of(), facts).get("packages"));
        JsonNode ansible = JSON.readTree(DIR.resolve("packages/ansible.json").toFile());
        assertEquals(ansible.size(), moat.size(), "the same package names: " + moat.fieldNames());
        ansible.fieldNames().forEachRemaining(name -> {
            JsonNode a = ansible.get(name), m = moat.get(name);
            assertNotNull(m, name);
            assertEquals(a.size(), m.size(), name);
            for (int i = 0; i < a.size(); i++) {
                for (String key : List.of("name", "version", "arch", "source")) {
                    assertEquals(a.get(i).get(key), m.get(i).get(key), name + "." + key);
                }
                assertTrue(a.get(i).has("origin") && !m.get(i).has("origin") && !m.get(i).has("category"), "the keys moat does not provide");
            }
        });
    }

    @Test
    void packageFactsRefusesOtherManagersByNameAndFailsWithoutDpkg() throws Exception {
        PackageFacts m = new PackageFacts();
        ArgException e = assertThrows(ArgException.class, () -> m.bind(Args.check(m.spec(), Map.of("manager", "rpm"))));
        assertTrue(e.getMessage().contains("'rpm' is not supported by moat"), e.getMessage());
        FakeFacts none = new FakeFacts().put(PackagesFact.KEY, "nodpkg\n");
        TaskException t = assertThrows(TaskException.class, () -> plan(m, Map.of(), none));
        assertEquals("Could not detect a supported package manager from the following list: ['auto'], or the required Python"
                + " library is not installed. Check warnings for details.", t.getMessage());
        String multiarch = "amd64\nii \tlibc6\t2.36-9\tamd64\nii \tlibc6\t2.36-9\ti386\nrc \told\t1.0\tamd64\n";
        Map<String, List<Map<String, Object>>> p = new PackagesFact().parse(new FactOutput(0, multiarch.getBytes(StandardCharsets.UTF_8), new byte[0]));
        assertEquals(List.of("libc6", "libc6:i386"), List.copyOf(p.keySet()), "a foreign architecture as python-apt names it; removed packages left out");
    }

    @Test
    void sysvServicesAsAnsibleListsThem() throws Exception {
        FakeFacts facts = new FakeFacts().put(ServicesFact.KEY, out(DIR.resolve("services/raw.txt")));
        JsonNode moat = JSON.valueToTree(plan(new ServiceFacts(), Map.of(), facts).get("services"));
        assertEquals(JSON.readTree(DIR.resolve("services/ansible.json").toFile()), moat);
    }

    @SuppressWarnings("unchecked")
    @Test
    void systemdServicesFromUnitsThenUnitFiles() throws Exception {
        Map<String, Map<String, Object>> s = ServicesFact.fact().parse(out(DIR.resolve("services/systemd-handwritten.txt")));
        assertEquals(Map.of("name", "ssh", "state", "running", "source", "sysv"), s.get("ssh"), "the sysv scan stays beside systemd's");
        assertEquals(Map.of("name", "cron.service", "state", "running", "status", "enabled", "source", "systemd"), s.get("cron.service"));
        assertEquals(Map.of("name", "nginx.service", "state", "stopped", "status", "disabled", "source", "systemd"), s.get("nginx.service"));
        assertEquals("not-found", s.get("nvidia-persistenced.service").get("status"), "a bad state is kept over the unit file's");
        assertEquals("stopped", s.get("nvidia-persistenced.service").get("state"));
        assertEquals("static", s.get("systemd-journald.service").get("status"));
        assertEquals(Map.of("name", "docker.service", "state", "inactive", "status", "masked", "source", "systemd"), s.get("docker.service"),
                "a unit file without a loaded unit: its ActiveState from systemctl show");
        assertEquals("unknown", s.get("getty@.service").get("state"), "an empty ActiveState is unknown, as Ansible");
        assertEquals(9, s.size(), s.keySet().toString());
    }

    @Test
    void noServiceSkipsAsAnsible() throws Exception {
        assertNull(plan(new ServiceFacts(), Map.of(), new FakeFacts().put(ServicesFact.KEY, "")));
    }
}
