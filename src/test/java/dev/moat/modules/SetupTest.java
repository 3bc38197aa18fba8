package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.facts.GpuFacts;
import dev.moat.facts.HostFacts;
import dev.moat.facts.LocalFacts;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Plan;

class SetupTest {
    private final Setup setup = new Setup();
    private final FakeFacts facts = new FakeFacts();

    SetupTest() throws Exception {
        facts.put(HostFacts.KEY, Files.readString(Path.of("src/test/resources/facts/debian12-raw.txt")));
        facts.put(new LocalFacts(LocalFacts.DEFAULT_PATH).key(), "file 0 site.fact\n" + b64("[general]\nrole = inference\n") + "\n\n");
        facts.put(GpuFacts.KEY, Files.readString(Path.of("src/test/resources/facts/gpu/a100-mig.txt")));
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private Set<String> gathered(Map<String, ?> args) throws Exception {
        Plan p = setup.plan(setup.bind(Args.check(setup.spec(), args)), facts, FakeContext.apply());
        assertFalse(p.changes());
        return ((Map<String, Object>) p.result().get("ansible_facts")).keySet();
    }

    @Test
    void everyFactUnderItsAnsibleName() throws Exception {
        Set<String> all = gathered(Map.of());
        assertTrue(all.containsAll(List.of("ansible_os_family", "ansible_distribution", "ansible_eth0", "ansible_default_ipv4")), all.toString());
    }

    @Test
    void filterIsFnmatchOnTheAnsibleNames() throws Exception {
        assertEquals(Set.of("ansible_distribution", "ansible_distribution_file_parsed", "ansible_distribution_file_path",
                "ansible_distribution_file_variety", "ansible_distribution_major_version", "ansible_distribution_minor_version",
                "ansible_distribution_release", "ansible_distribution_version"), gathered(Map.of("filter", "ansible_distribution*")));
        assertEquals(Set.of("ansible_os_family", "ansible_kernel"), gathered(Map.of("filter", List.of("ansible_os_family", "ansible_kerne?"))));
        assertEquals(Set.of("ansible_eth0"), gathered(Map.of("filter", "ansible_eth[0-9]")));
        assertEquals(Set.of(), gathered(Map.of("filter", "os_family")), "the pattern matches the prefixed name, as Ansible's");
    }

    @SuppressWarnings("unchecked")
    @Test
    void localFactsAndGpusBesideTheCoreFacts() throws Exception {
        Plan p = setup.plan(setup.bind(Args.check(setup.spec(), Map.of())), facts, FakeContext.apply());
        Map<String, Object> f = (Map<String, Object>) p.result().get("ansible_facts");
        assertEquals(Map.of("site", Map.of("general", Map.of("role", "inference"))), f.get("ansible_local"));
        assertEquals(4, ((List<?>) f.get("ansible_gpus")).size());
        assertEquals(f.get("ansible_gpus"), f.get("moat_gpus"));
        assertEquals(Set.of("ansible_gpus", "moat_gpus"), gathered(Map.of("filter", "ansible_gpus")), "moat_gpus goes with ansible_gpus");
    }

    @Test
    void gatherSubsetChoosesTheLocalFactsAndTheGpus() throws Exception {
        Set<String> all = gathered(Map.of());
        assertTrue(all.containsAll(List.of("ansible_local", "ansible_gpus", "moat_gpus")), all.toString());
        assertFalse(gathered(Map.of("gather_subset", "!gpus")).contains("ansible_gpus"));
        assertFalse(gathered(Map.of("gather_subset", List.of("!all", "network"))).contains("ansible_local"));
        assertTrue(gathered(Map.of("gather_subset", "!all,local")).contains("ansible_local"), "a comma-separated string, as Ansible");
        assertTrue(gathered(Map.of("gather_subset", List.of("!all", "hardware"))).contains("ansible_gpus"), "GPUs are hardware");
        assertTrue(Setup.includes(List.of(), "local"));
        assertFalse(Setup.includes(List.of("!all"), "local"));
        assertTrue(Setup.includes(List.of("!all", "local"), "local"));
        assertFalse(Setup.includes(List.of("network"), "local"));
        assertTrue(Setup.includes(List.of("!network"), "local"));
    }

    @Test
    void gatherSubsetIsCheckedAndAccepted() throws Exception {
        Set<String> core = new java.util.TreeSet<>(gathered(Map.of()));
        core.removeAll(List.of("ansible_local", "ansible_gpus", "moat_gpus"));
        assertEquals(core, gathered(Map.of("gather_subset", List.of("!all", "!min", "network"))));
        ArgException e = assertThrows(ArgException.class, () -> setup.bind(Args.check(setup.spec(), Map.of("gather_subset", "netwrk"))));
        assertTrue(e.getMessage().contains("netwrk"), e.getMessage());
    }
}
