package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Distribution facts from published os-release texts against Ansible's collector on the same files (see the fixtures' README). */
class DistributionFactsTest {
    @ParameterizedTest
    @ValueSource(strings = {"ubuntu2204", "debian11"})
    void equalsAnsiblesAnswer(String name) throws Exception {
        Path dir = Path.of("src/test/resources/facts/distribution", name);
        @SuppressWarnings("unchecked")
        Map<String, Object> ansible = new ObjectMapper().readValue(Files.readString(dir.resolve("ansible.json")), Map.class);
        Map<String, Object> moat = new TreeMap<>(DistributionFacts.parse(Files.readString(dir.resolve("os-release")),
                Files.readString(dir.resolve("debian_version"))));
        assertEquals(new TreeMap<>(ansible), moat);
    }
}
