package dev.moat.transport.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the benchmark (tests/bench): with {@code MOAT_SCRIPT_DUMP=DIR} every command a transport
 * sends is written as it goes on the wire, so the OpenSSH floor can replay exactly moat's reads:
 * {@code DIR/HOST/NNN.line} the exec request's command line, {@code DIR/HOST/NNN.in} the bytes
 * sent on its stdin (the script's length line, then the script). A sensitive command
 * ({@code no_log}) or one that carries stdin of its own (file contents) leaves only
 * {@code NNN.withheld}, so the count of round trips stays visible and nothing private is stored.
 * Files are 0600 in 0700 directories. Unset, nothing is written.
 */
final class ScriptDump {
    static final ScriptDump NONE = new ScriptDump(null);

    private final Path dir;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    ScriptDump(Path dir) {
        this.dir = dir;
    }

    static ScriptDump fromEnvironment() {
        String d = System.getenv("MOAT_SCRIPT_DUMP");
        return d == null || d.isBlank() ? NONE : new ScriptDump(Path.of(d));
    }

    /** Records one exec request: {@code line} and the {@code payload} written to its stdin. */
    void record(String host, String line, byte[] payload, boolean withheld) {
        if (dir == null) return;
        int n = counts.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        String base = String.format("%03d", n);
        try {
            Path d = privateDir(dir.resolve(host.replace('/', '_')));
            if (withheld) {
                write(d.resolve(base + ".withheld"), new byte[0]);
                return;
            }
            write(d.resolve(base + ".line"), line.getBytes(StandardCharsets.UTF_8));
            write(d.resolve(base + ".in"), payload);
        } catch (IOException e) {
            throw new UncheckedIOException("MOAT_SCRIPT_DUMP: cannot write under " + dir, e);
        }
    }

    private static Path privateDir(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            Files.createDirectories(d);
            setMode(d, "rwx------");
        }
        return d;
    }

    private static void write(Path f, byte[] bytes) throws IOException {
        Files.write(f, bytes);
        setMode(f, "rw-------");
    }

    private static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is private already
        }
    }
}
