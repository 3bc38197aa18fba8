package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

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

/** Facts in a run on this machine: what a gathering play costs in round trips, the GPU and local facts, package and service facts. */
class FactsRunTest {
    @TempDir Path tmp;
    final List<TaskResult> results = new ArrayList<>();
    final List<LocalTransport> transports = new ArrayList<>();

    private int run(boolean check, String yaml) throws Exception {
        Path pb = tmp.resolve("facts.yml");
        Files.writeString(pb, yaml.replace("TMP", tmp.toString()));
        var modules = Modules.builtin();
        RunListener listener = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        var options = new RunOptions(check, false, 1, null, null, Map.of(), true);
        var setup = new RunSetup("facts-" + System.nanoTime(), options, modules, new Templar(tmp, new Secrets()),
                (h, vars) -> { LocalTransport t = new LocalTransport(h); transports.add(t); return t; }, listener,
                new Journal(tmp.resolve("j").toString()), new Guard(tmp.resolve("g").toString()), Duration.ofSeconds(60), null, "test");
        return new Runner(setup).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"), h -> Map.of("inventory_hostname", h));
    }

    private List<String> scripts() {
        return transports.stream().flatMap(t -> t.scripts.stream()).toList();
    }

    private String message(String task) {
        TaskResult r = results.stream().filter(x -> task.equals(x.task())).findFirst().orElseThrow(() -> new AssertionError(results));
        return r.message();
    }

    @Test
    void aNoOpCheckOfAGatheringPlayCostsOneReadRoundTrip() throws Exception {
        String play = """
                - hosts: all
                  gather_facts: true
                  tasks:
                    - copy: {dest: TMP/os, content: "{{ ansible_distribution }} {{ ansible_facts.kernel }}"}
                    - file: {path: TMP/dir, state: directory}
                """;
        assertEquals(ExitCode.OK, run(false, play), results::toString);
        results.clear();
        transports.clear();
        assertEquals(ExitCode.OK, run(true, play), results::toString);
        assertEquals("Gathering Facts", results.get(0).task());
        assertTrue(results.stream().noneMatch(TaskResult::changed), results::toString);
        assertEquals(1, scripts().size(), () -> "facts and the tasks' reads in one round trip: " + scripts());
        assertTrue(scripts().get(0).contains("/etc/os-release"));
        assertFalse(scripts().get(0).contains("--query-gpu"), "no GPU read for a play that names no GPU fact");
        assertTrue(scripts().get(0).contains("/etc/ansible/facts.d"), "local facts are part of Ansible's default subset");
    }

    @Test
    void gpuFactsAreReadWhenThePlayNamesThem() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - name: show
                      debug: {msg: "{{ moat_gpus | length }} {{ ansible_gpus == moat_gpus }} {{ ansible_facts.gpus == moat_gpus }}"}
                """;
        assertEquals(ExitCode.OK, run(true, play), results::toString);
        assertTrue(message("show").matches("\\d+ True True"), message("show"));
        assertEquals(1, scripts().size());
        assertTrue(scripts().get(0).contains("--query-gpu") && scripts().get(0).contains("/etc/os-release"), "GPUs and core facts in the one read");
    }

    @Test
    void localFactsComeFromFactPathAsInAnsible() throws Exception {
        Path dir = Path.of("src/test/resources/facts/local/facts.d").toAbsolutePath();
        String play = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: gather
                      setup: {fact_path: DIR, gather_subset: "!all,local"}
                    - name: show
                      debug: {msg: "{{ ansible_local.json.gpus }} {{ ansible_facts.ansible_local.exec.n }} {{ ansible_facts.local is defined }} {{ ansible_gpus is defined }}"}
                """.replace("DIR", dir.toString());
        assertEquals(ExitCode.OK, run(true, play), results::toString);
        assertEquals("4 3 False False", message("show"), "ansible_local keeps its prefix in ansible_facts, as Ansible's namespace_facts");
        assertTrue(message("gather").contains("error loading facts as JSON or ini - please check content: " + dir + "/bad.fact"), message("gather"));
    }

    @Test
    void packageAndServiceFactsBecomeFactsAsInAnsible() throws Exception {
        String play = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - package_facts: {manager: auto}
                    - service_facts:
                    - name: show
                      debug: {msg: "{{ 'coreutils' in packages }} {{ ansible_facts.packages.coreutils[0].source }} {{ ansible_packages is defined }} {{ services is mapping }}"}
                """;
        assertEquals(ExitCode.OK, run(true, play), results::toString);
        assertEquals("True apt False True", message("show"), "unprefixed facts stay unprefixed, as Ansible's clean_facts");
        assertEquals(1, scripts().size(), "both read in the play's one round trip");
    }
}
