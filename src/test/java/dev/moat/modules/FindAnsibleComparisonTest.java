package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.moat.module.Plan;

/**
 * moat's {@code find} against Ansible 2.14's: {@code src/test/resources/find/tree.sh} makes a sample
 * tree; for each case of {@code cases.yml} moat reads it with its own read scripts run by the local
 * {@code sh} and filters, and the result is compared with what Ansible's find returned on the same
 * tree ({@code answers.json}, recorded by {@code record.py}): the matched paths, {@code matched},
 * {@code examined}, {@code msg}, {@code skipped_paths}, the keys of a file entry, checksums, and each
 * entry's mode, kind and size.
 */
class FindAnsibleComparisonTest {
    private static final File DIR = new File("src/test/resources/find");

    @TempDir
    Path tmp;

    static List<Object[]> cases() throws Exception {
        JsonNode cases = new ObjectMapper(new YAMLFactory()).readTree(new File(DIR, "cases.yml"));
        JsonNode answers = new ObjectMapper().readTree(new File(DIR, "answers.json"));
        List<Object[]> out = new ArrayList<>();
        for (JsonNode c : cases) out.add(new Object[] {c.get("name").asText(), c.get("args"), answers.get(c.get("name").asText())});
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void sameAsAnsible(String name, JsonNode given, JsonNode answer) throws Exception {
        String root = tmp.toString();
        assertEquals(0, LocalHost.sh(new File(DIR, "tree.sh").getAbsolutePath() + " '" + root + "'", null).rc());
        Map<String, Object> args = new HashMap<>(new ObjectMapper().convertValue(given, Map.class));
        List<String> paths = new ArrayList<>();
        for (Object p : (List<Object>) args.getOrDefault("paths", List.of("ROOT"))) paths.add(p.toString().replace("ROOT", root));
        args.put("paths", paths);
        Find find = new Find();
        Find.FindArgs a = LocalHost.bind(find, args);
        Plan plan = find.plan(a, LocalHost.facts(find, a), FakeContext.apply());
        assertFalse(plan.changes());
        Map<String, Object> r = plan.result();
        List<Map<String, Object>> files = (List<Map<String, Object>>) r.get("files");
        TreeSet<String> got = new TreeSet<>();
        Map<String, String> sums = new TreeMap<>();
        for (Map<String, Object> f : files) {
            String rel = f.get("path").toString().replace(root, "ROOT");
            got.add(rel);
            if (f.containsKey("checksum")) sums.put(rel, (String) f.get("checksum"));
            JsonNode m = answer.get("modes").get(rel);
            assertNotNull(m, name + ": " + rel + " matched by moat only");
            assertEquals(m.get(0).asText(), f.get("mode"), name + ": mode of " + rel);
            assertEquals(List.of(m.get(1).asBoolean(), m.get(2).asBoolean(), m.get(3).asBoolean()),
                    List.of(f.get("isreg"), f.get("isdir"), f.get("islnk")), name + ": kind of " + rel);
            if (!m.get(4).isNull()) assertEquals(m.get(4).asLong(), f.get("size"), name + ": size of " + rel);
        }
        assertEquals(new TreeSet<>(new ObjectMapper().convertValue(answer.get("paths"), List.class)), got, name + ": paths");
        assertEquals(answer.get("matched").asInt(), r.get("matched"), name + ": matched");
        assertEquals(answer.get("examined").asLong(), r.get("examined"), name + ": examined");
        assertEquals(answer.get("msg").asText(), r.get("msg"), name + ": msg");
        Map<String, String> skipped = new TreeMap<>();
        ((Map<String, Object>) r.get("skipped_paths")).forEach((k, v) -> skipped.put(k.replace(root, "ROOT"), v.toString().replace(root, "ROOT")));
        assertEquals(new TreeMap<>(new ObjectMapper().convertValue(answer.get("skipped_paths"), Map.class)), skipped, name + ": skipped");
        assertEquals(new TreeMap<>(new ObjectMapper().convertValue(answer.get("checksums"), Map.class)), sums, name + ": checksums");
        if (!files.isEmpty()) {
            assertEquals(new TreeSet<>(new ObjectMapper().convertValue(answer.get("keys"), List.class)), new TreeSet<>(files.get(0).keySet()),
                    name + ": keys of an entry");
        }
    }
}
