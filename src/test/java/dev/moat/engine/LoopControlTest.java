package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;

/** {@code loop_control}: the index variable, as Ansible sets it. */
class LoopControlTest {
    @TempDir Path tmp;

    @Test
    void loopControlIndexVarCountsFromZero() throws Exception {
        LocalRun run = new LocalRun(tmp);
        String play = """
                - hosts: all
                  tasks:
                    - copy: {dest: "TMP/{{ item }}", content: "{{ idx }}"}
                      loop: [a, b]
                      loop_control: {index_var: idx}
                      register: out
                    - debug: {msg: "{{ out.results | map(attribute='idx') | join(',') }}"}
                """;
        assertEquals(ExitCode.OK, run.run(play, "h1"));
        assertEquals("0", Files.readString(tmp.resolve("a")));
        assertEquals("1", Files.readString(tmp.resolve("b")));
        assertEquals("0,1", run.of("h1").get(1).message(), "each registered item has its index");
    }
}
