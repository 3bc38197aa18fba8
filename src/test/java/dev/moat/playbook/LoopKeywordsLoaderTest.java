package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.yaml.YamlException;

/** until/retries/delay and loop_control as the loader reads them, and their errors with file:line:column. */
class LoopKeywordsLoaderTest {
    @TempDir Path dir;

    private Task first(String tasks) throws Exception {
        Path f = dir.resolve("site.yml");
        Files.writeString(f, "- hosts: all\n  tasks:\n" + tasks);
        return (Task) PlaybookLoader.load(f, new FakeCatalog()).plays().get(0).tasks().get(0);
    }

    private String error(String tasks, String at) throws Exception {
        Path f = dir.resolve("site.yml");
        Files.writeString(f, "- hosts: all\n  tasks:\n" + tasks);
        YamlException e = assertThrows(YamlException.class, () -> PlaybookLoader.load(f, new FakeCatalog()));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith(f + ":" + at + ": "), e.getMessage());
        return e.getMessage().substring((f + ":" + at + ": ").length());
    }

    @Test
    void untilRetriesAndDelayAreRead() throws Exception {
        Task t = first("    - command: \"true\"\n      register: r\n      until: r.rc == 0\n      retries: \"{{ n }}\"\n      delay: 2\n");
        assertEquals(new Polling(List.of("r.rc == 0"), "{{ n }}", 2), t.polling());
        assertEquals(Polling.NONE, first("    - command: \"true\"\n").polling());
    }

    @Test
    void loopControlReadsPauseAndExtended() throws Exception {
        Task t = first("    - command: \"echo {{ item }}\"\n      loop: [a]\n      loop_control: {pause: 2, extended: true, extended_allitems: false}\n");
        assertEquals(new LoopControl("item", null, null, 2, true, false), t.loopControl());
    }

    @Test
    void badValuesAreErrorsWithTheirPlace() throws Exception {
        assertEquals("retries: expected a whole number of retries, not 'many'",
                error("    - command: \"true\"\n      until: false\n      retries: many\n", "5:16"));
        assertTrue(error("    - command: \"true\"\n      loop: [a]\n      loop_control: {extnded: true}\n", "5:22")
                .startsWith("loop_control: unknown key 'extnded'; did you mean 'extended'?"));
        assertEquals("async: expected a whole number of seconds, not 'long'", error("    - command: \"true\"\n      async: long\n", "4:14"));
    }
}
