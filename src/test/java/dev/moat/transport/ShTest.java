package dev.moat.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ShTest {
    /** Runs {@code script} with /bin/sh; stdout and the exit status. */
    static String run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out + "rc=" + p.waitFor();
    }

    @Test
    void aFailureInsideTheSubshellStopsItAndReachesTheCaller() throws Exception {
        String snapshot = "set -e; false; echo 'snapshot marked done'";
        // What the journal wrote before: errexit is off on the left of ||, so the failure went unnoticed.
        assertEquals("snapshot marked done\nchange made\nrc=0", run("(" + snapshot + ") || exit $?\necho 'change made'"));
        assertEquals("rc=1", run(Sh.subshell(snapshot, "exit $r") + "echo 'change made'"));
        assertEquals("first failed with 3\nrc=0",
                run("rc=0\n" + Sh.subshell("set -e; exit 3", "[ $rc = 0 ] && rc=$r") + Sh.subshell("true", "rc=9") + "echo \"first failed with $rc\""));
    }
}
