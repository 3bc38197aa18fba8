package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * Replays, with this machine as the host, the scenario of {@code ansible/unarchive-remote-src.yml}
 * that ansible-playbook 2.14.18 ran against a testbed host, and compares moat's answers with
 * Ansible's recorded ones ({@code ansible/unarchive-remote-src.json}): changed or not at each step,
 * the handler, the listing, {@code creates} and the error messages. Check mode on a tar archive is
 * the one designed difference: Ansible skips the task, moat reports the drift it read.
 */
class UnarchiveAnsibleComparisonTest {
    private final Unarchive un = new Unarchive();

    private Plan plan(Map<String, Object> raw) throws Exception {
        return LocalHost.plan(un, LocalHost.bind(un, raw), FakeContext.apply());
    }

    private Plan apply(Map<String, Object> raw) throws Exception {
        Plan p = plan(raw);
        assertEquals(null, LocalHost.execute(p));
        return p;
    }

    @Test
    void sameAnswersAsAnsible(@TempDir Path dir) throws Exception {
        JsonNode want = new ObjectMapper().readTree(getClass().getResourceAsStream("/ansible/unarchive-remote-src.json"));
        Path src = dir.resolve("src");
        Path dest = Files.createDirectories(dir.resolve("dest"));
        assertEquals(0, LocalHost.sh("mkdir -p " + src + "/c/app/bin && cd " + src + "/c && printf '#!/bin/sh\\necho hi\\n' > app/bin/run"
                + " && chmod 755 app/bin/run && printf 'port=80\\n' > app/conf && tar -czf ../app.tar.gz app && zip -qr ../app.zip app"
                + " && touch ../empty.tgz", null).rc());
        Map<String, Object> tgz = Map.of("src", src + "/app.tar.gz", "dest", dest.toString(), "remote_src", true);
        Plan fresh = apply(Map.of("src", src + "/app.tar.gz", "dest", dest.toString(), "remote_src", true, "list_files", true));
        assertEquals(want.at("/tgz_fresh/changed").asBoolean(), fresh.changes());
        assertEquals(want.at("/tgz_fresh/handler").asText(), fresh.result().get("handler"));
        // The same entries; tar lists them in the order it stored them, which depends on the directory's order.
        List<String> files = new ObjectMapper().convertValue(want.at("/tgz_fresh/files"), List.class);
        assertEquals(files.stream().sorted().toList(), ((List<?>) fresh.result().get("files")).stream().map(String::valueOf).sorted().toList());
        assertEquals(want.at("/tgz_again/changed").asBoolean(), plan(tgz).changes());
        Files.writeString(dest.resolve("app/conf"), "port=81\n");
        assertEquals(want.at("/tgz_changed/changed").asBoolean(), apply(tgz).changes());
        Map<String, Object> mode = Map.of("src", src + "/app.tar.gz", "dest", dest.toString(), "remote_src", true, "mode", "0700");
        assertEquals(want.at("/tgz_mode_only/changed").asBoolean(), apply(mode).changes());
        LocalHost.sh("rm -rf " + dest + "/app", null);
        Map<String, Object> zip = Map.of("src", src + "/app.zip", "dest", dest.toString(), "remote_src", true);
        Plan zipFresh = apply(zip);
        assertEquals(want.at("/zip_fresh/changed").asBoolean(), zipFresh.changes());
        assertEquals(want.at("/zip_fresh/handler").asText(), zipFresh.result().get("handler"));
        assertEquals(want.at("/zip_again/changed").asBoolean(), plan(zip).changes());
        Plan creates = plan(Map.of("src", src + "/app.zip", "dest", dest.toString(), "remote_src", true, "creates", dest + "/app"));
        assertEquals(want.at("/creates/msg").asText().replace("/srv/ans-un", dest.toString()), creates.skip());
        assertEquals(want.at("/nosrc").asText().replace("/root/ans-src", src.toString()), assertThrows(TaskException.class,
                () -> plan(Map.of("src", src + "/none.tgz", "dest", dest.toString(), "remote_src", true))).getMessage());
        assertEquals(want.at("/empty").asText().replace("/root/ans-src", src.toString()), assertThrows(TaskException.class,
                () -> plan(Map.of("src", src + "/empty.tgz", "dest", dest.toString(), "remote_src", true))).getMessage());
        assertEquals(want.at("/nodest").asText().replace("/srv/ans-none", dir + "/none"), assertThrows(TaskException.class,
                () -> plan(Map.of("src", src + "/app.zip", "dest", dir + "/none", "remote_src", true))).getMessage());
    }
}
