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
import dev.moat.module.Module;
import dev.moat.modules.Modules;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/**
 * The engine end to end on this machine: real playbooks, real modules, real shell, through a
 * transport that runs scripts locally (SSH is exercised by the testbed's end-to-end suite).
 */
class RunnerTest {
    @TempDir Path tmp;
    final List<TaskResult> results = new ArrayList<>();
    final Map<String, LocalTransport> transports = new java.util.concurrent.ConcurrentHashMap<>();

    private int run(String playbookYaml, boolean check, String... hosts) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, playbookYaml.replace("TMP", tmp.toString()));
        Map<String, Module<?>> modules = Modules.builtin();
        Playbook playbook = PlaybookLoader.load(pb, Catalog.of(modules));
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r-" + System.nanoTime(), new RunOptions(check, true, 10, null, null, null, false),
                modules, new Templar(tmp, new Secrets()), (h, vars) -> transports.computeIfAbsent(h, LocalTransport::new),
                collect, new Journal(tmp.resolve("journal-" + LocalTransport.HOST).toString()),
                new Guard(tmp.resolve("guard-" + LocalTransport.HOST).toString()),
                Duration.ofSeconds(30), null, "test");
        return new Runner(setup).run(playbook, p -> List.of(hosts), h -> Map.of("inventory_hostname", h));
    }

    private List<TaskResult> of(String host) {
        return results.stream().filter(r -> r.host().equals(host)).toList();
    }

    private static final String PLAY = """
            - hosts: all
              vars:
                greeting: hello
              tasks:
                - name: write files
                  copy:
                    dest: "TMP/{{ inventory_hostname }}-{{ item }}.txt"
                    content: "{{ greeting }} {{ item }}\\n"
                  loop: [a, b]
                  notify: done
                - name: look
                  command: cat TMP/{{ inventory_hostname }}-a.txt
                  register: out
                  changed_when: false
                - name: only when read back
                  copy:
                    dest: TMP/{{ inventory_hostname }}-echo.txt
                    content: "{{ out.stdout }}"
                  when: out.rc == 0
              handlers:
                - name: done
                  copy:
                    dest: TMP/{{ inventory_hostname }}-handler.txt
                    content: ran
            """;

    @Test
    void convergesThenRerunsWithNothingToChange() throws Exception {
        assertEquals(ExitCode.OK, run(PLAY, false, "h1", "h2"), () -> results.stream().map(r -> r.host() + " " + r.task() + " " + r.status() + " " + r.message()).toList().toString());
        assertEquals("hello a\n", Files.readString(tmp.resolve("h1-a.txt")));
        assertEquals("hello a", Files.readString(tmp.resolve("h2-echo.txt")));
        assertEquals("ran", Files.readString(tmp.resolve("h1-handler.txt")), "the notified handler ran");
        assertTrue(of("h1").stream().anyMatch(TaskResult::changed));

        results.clear();
        transports.clear();
        assertEquals(ExitCode.OK, run(PLAY, false, "h1", "h2"));
        assertTrue(results.stream().noneMatch(TaskResult::changed), "second run changes nothing: " + results);
        assertFalse(results.stream().anyMatch(r -> r.task().equals("done")), "no change, no handler");
    }

    @Test
    void aRerunWithNothingToChangeCostsFewRoundTrips() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - copy: {dest: TMP/one, content: "1"}
                    - copy: {dest: TMP/two, content: "2"}
                    - file: {path: TMP/dir, state: directory}
                    - lineinfile: {path: TMP/one, line: "1", create: true}
                """;
        assertEquals(ExitCode.OK, run(play, false, "h1"));
        transports.clear();
        results.clear();
        assertEquals(ExitCode.OK, run(play, false, "h1"));
        assertEquals(1, transports.get("h1").scripts.size(), "one batched read, nothing else: " + transports.get("h1").scripts);
    }

    @Test
    void checkModeChangesNothingAndReportsDrift() throws Exception {
        String play = "- hosts: all\n  tasks:\n    - copy: {dest: TMP/f, content: new}\n";
        Files.writeString(tmp.resolve("f"), "old");
        assertEquals(ExitCode.DRIFT, run(play, true, "h1"));
        assertEquals("old", Files.readString(tmp.resolve("f")));
        TaskResult r = results.get(0);
        assertEquals(Status.CHANGED, r.status());
        assertEquals("old", r.diffs().get(0).before());
        assertEquals("new", r.diffs().get(0).after());
    }

    @Test
    void aFailedTaskRollsTheHostBackByteForByte() throws Exception {
        Files.writeString(tmp.resolve("keep"), "original\n");
        String play = """
                - hosts: all
                  tasks:
                    - copy: {dest: TMP/keep, content: "changed\\n"}
                    - file: {path: TMP/newdir/sub, state: directory}
                    - copy: {dest: TMP/newdir/sub/f, content: x}
                    - command: "false"
                    - copy: {dest: TMP/never, content: x}
                """;
        assertEquals(ExitCode.FAILED, run(play, false, "h1"));
        assertEquals("original\n", Files.readString(tmp.resolve("keep")));
        assertFalse(Files.exists(tmp.resolve("newdir")), "created directories are removed again");
        assertFalse(Files.exists(tmp.resolve("never")));
        TaskResult rb = results.get(results.size() - 1);
        assertEquals("rollback", rb.module());
        assertEquals(Status.OK, rb.status(), rb.message());
        assertTrue(rb.message().contains("restored this run's 3 change(s)"), rb.message());
        assertTrue(rb.message().contains("cannot be undone, left as they are: command: false"), rb.message());
    }

    @Test
    void ignoreErrorsAndFailedWhen() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - command: "false"
                      ignore_errors: true
                    - shell: echo boom
                      register: r
                      failed_when: "'boom' in r.stdout"
                """;
        assertEquals(ExitCode.FAILED, run(play, false, "h1"));
        assertTrue(results.get(0).ignored());
        assertEquals(Status.FAILED, results.get(1).status());
        assertTrue(results.get(1).message().contains("failed_when"), results.get(1).message());
    }

    @Test
    void anUndefinedVariableFailsTheTaskNamingIt() throws Exception {
        String play = "- hosts: all\n  tasks:\n    - copy: {dest: TMP/x, content: \"{{ nope }}\"}\n";
        assertEquals(ExitCode.FAILED, run(play, false, "h1"));
        assertTrue(results.get(0).message().contains("nope"), results.get(0).message());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void unreachableHostsDoNotStopTheOthers() throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, "- hosts: all\n  tasks:\n    - copy: {dest: \"" + tmp + "/{{ inventory_hostname }}\", content: x}\n");
        Map<String, Module<?>> modules = Modules.builtin();
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r1", new RunOptions(false, false, 10, null, null, null, false), modules,
                new Templar(tmp, new Secrets()), (h, vars) -> {
                    if (h.equals("down")) throw new dev.moat.transport.UnreachableException("down: connection refused");
                    return new LocalTransport(h);
                }, collect, new Journal(tmp.resolve("j").toString()), new Guard(tmp.resolve("g").toString()), null, null, "test");
        int exit = new Runner(setup).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("up", "down"),
                h -> Map.of("inventory_hostname", h));
        assertEquals(ExitCode.UNREACHABLE, exit);
        assertTrue(Files.exists(tmp.resolve("up")));
    }

    /** A module that recurses without end: an error that is not an exception still fails the host and rolls it back. */
    @Test
    void aRunawayRecursionFailsTheHostAndRollsItBack() throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, "- hosts: all\n  tasks:\n    - copy: {dest: \"" + tmp + "/made\", content: x}\n    - boom: {}\n");
        Map<String, Module<?>> modules = new java.util.LinkedHashMap<>(Modules.builtin());
        modules.put("boom", new Module<Object>() {
            @Override public String name() { return "boom"; }
            @Override public dev.moat.module.Spec spec() { return dev.moat.module.Spec.of(); }
            @Override public Object bind(dev.moat.module.Args args) { return args; }
            @Override public List<dev.moat.module.Fact<?>> reads(Object a) { return List.of(); }
            @Override public dev.moat.module.Plan plan(Object a, dev.moat.module.Facts f, dev.moat.module.PlanContext ctx) {
                throw new StackOverflowError();
            }
        });
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r1", new RunOptions(false, false, 10, null, null, null, false), modules,
                new Templar(tmp, new Secrets()), (h, vars) -> new LocalTransport(h), collect,
                new Journal(tmp.resolve("j").toString()), new Guard(tmp.resolve("g").toString()), null, null, "test");
        int exit = new Runner(setup).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"),
                h -> Map.of("inventory_hostname", h));
        assertEquals(ExitCode.FAILED, exit, results::toString);
        assertTrue(results.stream().anyMatch(r -> r.status() == Status.FAILED && r.message().contains("StackOverflowError")), results::toString);
        assertFalse(Files.exists(tmp.resolve("made")), "the copy was rolled back");
    }

    @Test
    void checkModeFalseRunsAReadEvenWhenChecking() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - shell: echo 42
                      register: r
                      check_mode: false
                      changed_when: false
                    - copy: {dest: TMP/answer, content: "{{ r.stdout }}"}
                """;
        assertEquals(ExitCode.DRIFT, run(play, true, "h1"));
        assertEquals("42", results.get(1).diffs().get(0).after(), "the read ran for real in check mode");
        assertFalse(Files.exists(tmp.resolve("answer")), "and the change did not");
    }

    @Test
    void rollbackBlockInAnUnnamedPlayUndoesOnlyTheFailingBlock() throws Exception {
        String play = """
                - hosts: all
                  rollback: block
                  tasks:
                    - block:
                        - copy: {dest: TMP/kept, content: "1"}
                    - block:
                        - copy: {dest: TMP/undone, content: "2"}
                        - command: "false"
                """;
        assertEquals(ExitCode.FAILED, run(play, false, "h1"));
        assertTrue(Files.exists(tmp.resolve("kept")), "the earlier block stays applied");
        assertFalse(Files.exists(tmp.resolve("undone")), "the failing block is rolled back");
    }

    @Test
    void anErrorInABlockConditionFailsAndRollsBackThatHostOnly() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - copy: {dest: "TMP/{{ inventory_hostname }}", content: "x"}
                    - block:
                        - debug: {msg: hi}
                      when: "inventory_hostname == 'h2' and nope.rc == 0"
                """;
        assertEquals(ExitCode.FAILED, run(play, false, "h1", "h2"));
        assertTrue(Files.exists(tmp.resolve("h1")), "h1 is unaffected");
        assertFalse(Files.exists(tmp.resolve("h2")), "h2 failed and was rolled back, not left half-changed");
        assertTrue(of("h2").stream().anyMatch(r -> r.module().equals("rollback") && r.status() == Status.OK), results.toString());
    }

    @Test
    void magicVariablesAndOmit() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - copy:
                        dest: "TMP/{{ inventory_hostname }}.txt"
                        content: "{{ playbook_dir }}|{{ ansible_play_hosts }}|{{ ansible_play_batch }}|{{ ansible_check_mode }}|{{ ansible_diff_mode }}|{{ ansible_forks }}|{{ ansible_run_tags }}|{{ ansible_version.full is version('2.12', '>=') }}|{{ ansible_managed }}"
                        mode: "{{ unset_mode | default(omit) }}"
                """;
        assertEquals(ExitCode.OK, run(play, false, "h1", "h2"), results.toString());
        assertEquals(tmp + "|['h1', 'h2']|['h1', 'h2']|False|True|10|['all']|True|Ansible managed", Files.readString(tmp.resolve("h1.txt")));
    }

    // ---- facts -------------------------------------------------------------------------------

    private static final String FACTS_PLAY = """
            - hosts: all
              GATHER
              tasks:
                - name: only on the Debian family
                  copy: {dest: TMP/debian-family, content: "yes"}
                  when: ansible_os_family == 'Debian'
                - name: show
                  debug: {msg: "{{ ansible_distribution }} {{ ansible_facts.distribution_major_version }}"}
            """;

    private String message(String task) {
        return results.stream().filter(r -> r.task().equals(task)).findFirst().orElseThrow().message();
    }

    private static boolean debianFamily() throws Exception {
        Path os = Path.of("/etc/os-release");
        return Files.exists(os) && Files.readString(os).matches("(?s).*\\n(ID|ID_LIKE)=\"?[a-z ]*(debian|ubuntu).*");
    }

    @Test
    void gatheredFactsAnswerConditionsAndTemplatesInTheOneReadRoundTrip() throws Exception {
        assertEquals(debianFamily() ? ExitCode.DRIFT : ExitCode.OK,
                run(FACTS_PLAY.replace("GATHER", ""), true, "h1"), results::toString);
        assertEquals(Status.OK, results.get(0).status(), "Gathering Facts first: " + results);
        assertEquals("Gathering Facts", results.get(0).task());
        TaskResult copy = results.stream().filter(r -> r.task().equals("only on the Debian family")).findFirst().orElseThrow();
        assertEquals(debianFamily() ? Status.CHANGED : Status.SKIPPED, copy.status(), results::toString);
        String shown = message("show");
        assertTrue(shown.matches("\\S+ \\S+") && !shown.contains("{{"), shown);
        assertEquals(1, transports.get("h1").scripts.size(), "facts, the copy's read and nothing else in one round trip");
        assertTrue(transports.get("h1").scripts.get(0).contains("/etc/os-release"), "the facts are in the batched read");
    }

    @Test
    void gatherFactsFalseLeavesFactsUndefined() throws Exception {
        String play = FACTS_PLAY.replace("GATHER", "gather_facts: false")
                .replace("{{ ansible_distribution }} {{ ansible_facts.distribution_major_version }}",
                        "{{ ansible_distribution | default('undefined') }} {{ ansible_facts | length }}")
                .replace("ansible_os_family == 'Debian'", "ansible_os_family is defined");
        assertEquals(ExitCode.OK, run(play, true, "h1"), results::toString);
        assertEquals("undefined 0", message("show"));
        assertTrue(results.stream().noneMatch(r -> r.task().equals("Gathering Facts")));
        assertEquals(Status.SKIPPED, results.get(0).status());
        assertTrue(transports.get("h1").scripts.stream().noneMatch(s -> s.contains("/etc/os-release")));
    }

    /** src/test/resources/facts/across-plays.txt: Ansible's answers for the same three plays. */
    @Test
    void factsStayForLaterPlaysAsInAnsible() throws Exception {
        List<String> recorded = Files.readAllLines(Path.of("src/test/resources/facts/across-plays.txt")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        String play = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: one, debug: {msg: "{{ ansible_facts | length }} {{ ansible_distribution is defined }}"}}
                - hosts: all
                  tasks:
                    - {name: two, debug: {msg: "{{ ansible_facts.distribution }}"}}
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: three, debug: {msg: "{{ ansible_distribution }}"}}
                """;
        assertEquals(ExitCode.OK, run(play, true, "h1"), results::toString);
        assertEquals(recorded.get(0).substring("True ".length()), message("one").replace("false", "False"));
        assertEquals(message("two"), message("three"), "the third play sees the second's facts without gathering");
        if (Files.readString(Path.of("/etc/os-release")).contains("\nID=debian")) assertEquals(recorded.get(2), message("three"));
        assertEquals(1, results.stream().filter(r -> r.task().equals("Gathering Facts")).count());
    }

    @Test
    void aPlayThatUsesNoFactGathersNone() throws Exception {
        String play = "- hosts: all\n  tasks:\n    - copy: {dest: TMP/f, content: \"{{ ansible_host | default(inventory_hostname) }}\"}\n";
        assertEquals(ExitCode.OK, run(play, false, "h1"), results::toString);
        assertTrue(results.stream().noneMatch(r -> r.task().equals("Gathering Facts")), results::toString);
        assertTrue(transports.get("h1").scripts.stream().noneMatch(s -> s.contains("/etc/os-release")));
    }

    /** src/test/resources/facts/clear-facts.txt: Ansible's answer for the same play. */
    @Test
    void clearFactsForgetsGatheredFactsButNotSetFactsAsInAnsible() throws Exception {
        List<String> recorded = Files.readAllLines(Path.of("src/test/resources/facts/clear-facts.txt")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        String play = """
                - hosts: all
                  gather_facts: true
                  tasks:
                    - set_fact: {x: 1}
                    - set_fact: {y: 2, cacheable: true}
                    - meta: clear_facts
                    - name: show
                      debug: {msg: "{{ x | default('gone') }} {{ y | default('gone') }} {{ ansible_distribution | default('gone') }} {{ ansible_facts | length }}"}
                """;
        assertEquals(ExitCode.OK, run(play, true, "h1"), results::toString);
        assertEquals("Gathering Facts", results.get(0).task());
        assertEquals(recorded.get(0), message("show"));
    }

    @Test
    void setupGathersExplicitlyWithAFilter() throws Exception {
        String play = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - setup: {filter: "ansible_distribution*"}
                      register: r
                    - name: show
                      debug: {msg: "{{ r.ansible_facts.ansible_distribution_release is defined }} {{ r.ansible_facts.ansible_kernel is defined }} {{ ansible_facts.distribution == ansible_distribution }} {{ ansible_kernel is defined }}"}
                """;
        assertEquals(ExitCode.OK, run(play, true, "h1"), results::toString);
        assertEquals("true false true false", message("show").toLowerCase());
    }
}
