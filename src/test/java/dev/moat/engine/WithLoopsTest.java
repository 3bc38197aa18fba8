package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every with_* lookup, loop_control and a loop's registered result, against Ansible 2.14's answers (with.yml). */
class WithLoopsTest {
    @TempDir Path tmp;

    @Test
    void everyWithLookupAndLoopKeywordAnswersAsAnsible() throws Exception {
        RecordedPlay.runAndCompare(tmp, "with", false);
    }

    @Test
    void aFailedItemDoesNotStopTheOthersAndTheLabelNamesIt() throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.run("""
                - hosts: all
                  tasks:
                    - shell: "exit {{ item.rc }}"
                      loop: [{rc: 0, n: a}, {rc: 4, n: b}, {rc: 0, n: c}]
                      loop_control: {label: "{{ item.n }}"}
                      register: r
                """, "h1");
        TaskResult r = run.of("h1").get(0);
        assertEquals(Status.FAILED, r.status());
        assertEquals(3, r.items().size(), "every item ran");
        assertTrue(r.message().startsWith("item=b: "), r.message());
        assertEquals("shell (item=c)", r.items().get(2).task());
        assertEquals("One or more items failed", r.registered().get("msg"));
    }

    @Test
    void randomChoiceIsRefusedByName() throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.run("""
                - hosts: all
                  tasks:
                    - debug: {msg: "{{ item }}"}
                      with_random_choice: [a, b]
                """, "h1");
        assertTrue(run.of("h1").get(0).message().startsWith("with_random_choice is not supported by moat"), run.of("h1").get(0).message());
    }

    @Test
    void pauseWaitsBetweenItemsOnly() throws Exception {
        LocalRun run = new LocalRun(tmp);
        long t0 = System.nanoTime();
        run.run("""
                - hosts: all
                  tasks:
                    - debug: {msg: "{{ item }}"}
                      loop: [a, b, c]
                      loop_control: {pause: 0.3}
                """, "h1");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Status.OK, run.of("h1").get(0).status());
        assertTrue(ms >= 600, "two pauses of 0.3 s, took " + ms + " ms");
    }

    @Test
    void sequenceShorthandAndErrorsAsAnsible() throws Exception {
        java.util.function.Function<Object, String> repr = String::valueOf;
        assertEquals(List.of("1", "2", "3", "4", "5"), LoopLookups.items("sequence", List.of("5"), repr));
        assertEquals(List.of("2", "4", "6", "8", "10"), LoopLookups.items("sequence", List.of("2-10/2"), repr));
        assertEquals(List.of("0x05", "0x07", "0x09", "0x0b"), LoopLookups.items("sequence", List.of("start=5 end=11 stride=2 format=0x%02x"), repr));
        assertEquals(List.of("0", "2", "4", "6", "8"), LoopLookups.items("sequence", List.of("start=0 count=5 stride=2"), repr));
        assertEquals(List.of(), LoopLookups.items("sequence", List.of("count=0"), repr));
        assertEquals("to count backwards make stride negative",
                assertThrows(dev.moat.module.TaskException.class, () -> LoopLookups.items("sequence", List.of("start=5 end=1"), repr)).getMessage());
        assertEquals("can't specify both count and end in with_sequence",
                assertThrows(dev.moat.module.TaskException.class, () -> LoopLookups.items("sequence", List.of("end=5 count=2"), repr)).getMessage());
        assertEquals("with_dict expects a dict",
                assertThrows(dev.moat.module.TaskException.class, () -> LoopLookups.items("dict", List.of("x"), repr)).getMessage());
        assertEquals(List.of(List.of(Map.of("n", 1), "x")), LoopLookups.items("subelements", List.of(List.of(Map.of("n", 1, "k", List.of("x"))), "k"), repr));
    }
}
