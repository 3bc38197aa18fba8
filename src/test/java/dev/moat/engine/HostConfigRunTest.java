package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Guard;
import dev.moat.journal.Journal;
import dev.moat.modules.Modules;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/**
 * A no-op play of timezone, cron and pam_limits costs one read round trip, counted on this
 * machine's transport: the first run writes only under a scratch directory (the zone is the
 * machine's own), the check run after it must send one script. (modprobe cannot read this
 * machine's kernel, which has no /proc/modules; locale_gen finds no locale available here.)
 */
class HostConfigRunTest {
    @TempDir Path tmp;
    final List<TaskResult> results = new ArrayList<>();
    final List<LocalTransport> transports = new ArrayList<>();

    private int run(boolean check, String yaml) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, yaml.replace("TMP", tmp.toString()));
        var modules = Modules.builtin();
        RunListener listener = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        var options = new RunOptions(check, false, 1, null, null, Map.of(), true);
        var setup = new RunSetup("hostconf-" + System.nanoTime(), options, modules, new Templar(tmp, new Secrets()),
                (h, vars) -> { LocalTransport t = new LocalTransport(h); transports.add(t); return t; }, listener,
                new Journal(tmp.resolve("j").toString()), new Guard(tmp.resolve("g").toString()), Duration.ofSeconds(60), null, "test");
        return new Runner(setup).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"), h -> Map.of("inventory_hostname", h));
    }

    @Test
    void aNoOpPlayCostsOneReadRoundTrip() throws Exception {
        Path localtime = Path.of("/etc/localtime");
        assumeTrue(Files.isSymbolicLink(localtime), "this machine's /etc/localtime is not a zone link");
        String zone = Files.readSymbolicLink(localtime).toString().replaceFirst("^.*/zoneinfo/", "");
        assumeTrue(Files.isRegularFile(Path.of("/etc/timezone")) && Files.readString(Path.of("/etc/timezone")).strip().equals(zone),
                "this machine's /etc/timezone does not name its zone");
        String play = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - timezone: {name: ZONE}
                    - cron: {name: gpu, cron_file: TMP/cron, user: root, minute: "*/5", job: "nvidia-smi > /dev/null"}
                    - cron: {name: PATH, env: true, cron_file: TMP/cron, user: root, job: "/usr/bin:/bin"}
                    - pam_limits: {domain: "*", limit_type: "-", limit_item: memlock, value: unlimited, dest: TMP/limits.conf}
                """.replace("ZONE", zone);
        assertEquals(ExitCode.OK, run(false, play), results::toString);
        assertEquals("PATH=\"/usr/bin:/bin\"\n#Ansible: gpu\n*/5 * * * * root nvidia-smi > /dev/null\n", Files.readString(tmp.resolve("cron")));
        results.clear();
        transports.clear();
        assertEquals(ExitCode.OK, run(true, play), results::toString);
        assertTrue(results.stream().noneMatch(TaskResult::changed), results::toString);
        List<String> scripts = transports.stream().flatMap(t -> t.scripts.stream()).toList();
        assertEquals(1, scripts.size(), () -> "every task's reads in one round trip: " + scripts);
    }
}
