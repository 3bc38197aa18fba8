package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/**
 * timezone's decisions against community.general's answers recorded on a testbed host without
 * systemd (src/test/resources/ansible-timezone.json, made by ansible-timezone.sh), and the
 * timedatectl path taken where systemd answers.
 */
class TimezoneTest {
    final Timezone module = new Timezone();

    static FakeFacts facts(String zone, String config, String localtime, boolean systemd, String systemdZone) {
        StringBuilder tz = new StringBuilder(systemd ? "timedatectl=yes\nzone=" + systemdZone + "\n" : "timedatectl=no\n");
        tz.append(zone.startsWith("Mars/") ? "zonefile=no\n" : "zonefile=yes\n");
        String[] l = localtime.split(":", 2);
        switch (l[0]) {
            case "link": tz.append("link=").append(l[1]).append("\nlinkok=yes\n"); break;
            case "broken": tz.append("link=").append(l[1]).append("\nlinkok=no\n"); break;
            default: tz.append("same=").append(l[1].equals(zone) ? "yes" : "no").append('\n');
        }
        tz.append("debian=yes\n");
        return new FakeFacts().put("tz:/etc/localtime/" + zone, tz.toString())
                .put("file:/etc/timezone", config == null ? "absent\n" : SysctlTest.file(config))
                .put("file:/etc", "directory 755 0 0 4096 root root\n");
    }

    @Test
    void judgesAsAnsibleDid() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-timezone.json").toFile());
        int n = 0;
        for (var it = cases.fields(); it.hasNext(); ) {
            var c = it.next();
            if (c.getKey().startsWith("_")) continue;
            JsonNode v = c.getValue();
            String zone = v.path("zone").asText();
            FakeFacts f = facts(zone, v.path("etc_timezone").isNull() ? null : v.path("etc_timezone").asText(), v.path("localtime").asText(), false, null);
            Timezone.TimezoneArgs a = LocalHost.bind(module, Map.of("name", zone));
            n++;
            if (v.path("failed").asBoolean()) {
                TaskException e = assertThrows(TaskException.class, () -> module.plan(a, f, FakeContext.checkMode()), c.getKey());
                assertEquals(v.path("msg").asText(), e.getMessage(), c.getKey());
                continue;
            }
            Plan p = module.plan(a, f, FakeContext.checkMode());
            assertEquals(v.path("changed").asBoolean(), p.changes(), c.getKey());
            if (p.changes()) {
                JsonNode d = v.path("diff");
                assertEquals(List.of(Diff.of("timezone", d.path("before").path("name").asText() + "\n", d.path("after").path("name").asText() + "\n")),
                        p.diffs(), c.getKey());
                assertEquals(List.of(new Undo.RestorePath("/etc/localtime"), new Undo.RestorePath("/etc/timezone")), p.undo(), c.getKey());
            }
        }
        assertEquals(10, n);
    }

    @Test
    void withoutSystemdRewritesTheFileLinksAndReconfigures() throws Exception {
        Plan p = module.plan(LocalHost.bind(module, Map.of("name", "Europe/Paris")),
                facts("Europe/Paris", "  # c\n\nEtc/UTC extra\nUTC\n", "link:/usr/share/zoneinfo/Etc/UTC", false, null), FakeContext.apply());
        assertEquals("  # c\n\nEurope/Paris\n", new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8), "Ansible's _edit_file");
        assertEquals("ln -sf /usr/share/zoneinfo/Europe/Paris /etc/localtime", p.steps().get(1).script());
        assertTrue(p.steps().get(2).script().contains("dpkg-reconfigure --frontend noninteractive tzdata"));
        assertEquals("Europe/Paris\n", Timezone.edit("", "Europe/Paris"));
    }

    @Test
    void withSystemdAsksTimedatectl() throws Exception {
        Plan p = module.plan(LocalHost.bind(module, Map.of("name", "Europe/Paris")),
                facts("Europe/Paris", "Europe/Paris\n", "link:/usr/share/zoneinfo/Europe/Paris", true, "Etc/UTC"), FakeContext.apply());
        assertEquals(List.of("timedatectl set-timezone Europe/Paris"), p.steps().stream().map(Step::script).toList(),
                "timedatectl's answer decides, not the files");
        assertFalse(module.plan(LocalHost.bind(module, Map.of("name", "Etc/UTC")),
                facts("Etc/UTC", "x\n", "link:/x", true, "Etc/UTC"), FakeContext.apply()).changes());
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("hwclock", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("hwclock", "UTC"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of())).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "../../etc/passwd"))).arg());
    }

    @Test
    void theReadWorksHere() throws Exception {
        var fact = new dev.moat.modules.system.TimezoneFact("Etc/UTC");
        Map<String, String> m = fact.parse(LocalHost.sh(fact.script(), null));
        assertEquals("yes", m.get("zonefile"));
        assertNotNull(m.get("timedatectl"));
    }
}
