package dev.moat.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a copy of each read script moat sends, for measuring it on a host or replaying it with
 * plain OpenSSH (the benchmark's floor): with {@code MOAT_READ_DUMP=DIR} in the environment, each
 * script is written to {@code DIR/HOST.N.sh}, N counting from 1 in the order sent. Off otherwise.
 */
final class ReadDump {
    private static final String DIR = System.getenv("MOAT_READ_DUMP");
    private static final AtomicInteger SEQ = new AtomicInteger();

    private ReadDump() {}

    static void write(String host, String script) {
        if (DIR == null || DIR.isEmpty()) return;
        try {
            Path d = Files.createDirectories(Path.of(DIR));
            Files.writeString(d.resolve(host.replaceAll("[^A-Za-z0-9._-]", "_") + "." + SEQ.incrementAndGet() + ".sh"),
                    script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // A dump is a measuring aid: failing to write one never fails a run.
        }
    }
}
