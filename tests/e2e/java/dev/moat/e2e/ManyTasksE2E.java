package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a play of 2,000 file tasks costs one read round trip. The batch of their reads is far
 * past the 128 KiB a single command-line argument may hold (it once failed with "Argument list too
 * long", reported as unreachable); scripts travel on the exec channel's stdin, so a no-op check of
 * the play sends exactly one read script to the host, counted with {@code MOAT_READ_DUMP}.
 */
class ManyTasksE2E {
    static final int TASKS = 2000;
    static Testbed tb;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-many-e2e");
        // The host already holds what the play says: every task is a no-op.
        tb.execOk("h1", "rm -rf /root/moat-many && mkdir -m 0755 /root/moat-many && cd /root/moat-many && i=0; while [ $i -lt "
                + TASKS + " ]; do printf '%s\\n' $i >f-$i; i=$((i+1)); done; chmod 0644 f-*");
        StringBuilder play = new StringBuilder("- hosts: h1\n  gather_facts: false\n  tasks:\n");
        for (int i = 0; i < TASKS; i++) {
            play.append("    - name: file ").append(i).append("\n      copy: {dest: /root/moat-many/f-").append(i)
                    .append(", content: \"").append(i).append("\\n\", mode: \"0644\"}\n");
        }
        Files.writeString(dir.resolve("many.yml"), play);
    }

    @AfterAll
    static void tearDown() {
        if (tb != null) tb.exec("h1", "rm -rf /root/moat-many");
    }

    @Test
    void twoThousandFileTasksAreOneReadRoundTrip() throws Exception {
        Path dump = dir.resolve("reads");
        Map<String, String> env = Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_READ_DUMP", dump.toString());
        ProcResult r = MoatCli.run(dir, env, Duration.ofMinutes(5), "check", dir.resolve("many.yml").toString(),
                "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        List<Path> scripts;
        try (Stream<Path> s = Files.list(dump)) {
            scripts = s.filter(p -> p.getFileName().toString().startsWith("h1.")).toList();
        }
        assertEquals(1, scripts.size(), "one read script for " + TASKS + " tasks: " + scripts);
        long size = Files.size(scripts.get(0));
        assertTrue(size > 128 * 1024, "the batch is past one argument's 128 KiB: " + size + " bytes");
    }
}
