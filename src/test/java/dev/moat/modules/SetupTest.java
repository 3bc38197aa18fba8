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

import dev.moat.facts.HostFacts;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Plan;

class SetupTest {
    private final Setup setup = new Setup();
    private final FakeFacts facts = new FakeFacts();

    SetupTest() throws Exception {
        facts.put(HostFacts.KEY, Files.readString(Path.of("src/test/resources/facts/debian12-raw.txt")));
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

    @Test
    void gatherSubsetIsCheckedAndAccepted() throws Exception {
        assertEquals(gathered(Map.of()), gathered(Map.of("gather_subset", List.of("!all", "!min", "network"))));
        ArgException e = assertThrows(ArgException.class, () -> setup.bind(Args.check(setup.spec(), Map.of("gather_subset", "netwrk"))));
        assertTrue(e.getMessage().contains("netwrk"), e.getMessage());
    }
}
