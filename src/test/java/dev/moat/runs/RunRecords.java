package dev.moat.runs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fabricated run records for in-process command tests, written under a temporary
 * {@code $MOAT_HOME} (the {@code moat.home} property, set by {@link #useHome} and cleared by
 * {@link #clearHome}).
 */
public final class RunRecords {
    private RunRecords() {}

    public static void useHome(Path home) {
        System.setProperty("moat.home", home.toString());
    }

    public static void clearHome() {
        System.clearProperty("moat.home");
    }

    /** A finished apply of {@code hosts}; {@code journal} maps host to its entries. */
    public static Map<String, Object> finished(String id, List<String> hosts, Map<String, Object> recap, Map<String, Object> journal) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("format", RecordedRun.FORMAT);
        r.put("command", "apply");
        r.put("started", "2026-01-02T03:04:05.678Z");
        r.put("playbook", "playbooks/site.yml");
        r.put("check", false);
        r.put("hosts", hosts);
        r.put("status", "finished");
        r.put("recap", recap);
        r.put("journal", journal);
        r.put("exit", 0);
        return r;
    }

    /** A run whose record says running, by a process that is gone (killed). */
    public static Map<String, Object> killed(String id, List<String> hosts, Map<String, Object> journal) {
        Map<String, Object> r = finished(id, hosts, Map.of(), journal);
        r.remove("exit");
        r.put("status", "running");
        r.put("pid", ProcessHandle.current().pid());
        r.put("pid_started", "1970-01-01T00:00:00Z"); // this pid, but not this process: it is gone
        return r;
    }

    /** A run whose record says running, by this very process (still running). */
    public static Map<String, Object> running(String id, List<String> hosts, Map<String, Object> journal) {
        Map<String, Object> r = killed(id, hosts, journal);
        ProcessHandle.current().info().startInstant().ifPresentOrElse(t -> r.put("pid_started", t.toString()),
                () -> r.remove("pid_started"));
        return r;
    }

    public static Map<String, Object> recap(int changed, int failed, int unreachable, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", changed);
        m.put("changed", changed);
        m.put("failed", failed);
        m.put("unreachable", unreachable);
        if (note != null) m.put("note", note);
        return m;
    }

    public static Map<String, Object> entry(int seq, String path, boolean restored) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("task", "write " + path);
        m.put("play", "1:3");
        m.put("block", -1);
        m.put("undo", Map.of("kind", "RestorePath", "path", path));
        m.put("restored", restored);
        return m;
    }

    public static Path write(Path home, Map<String, Object> record) throws Exception {
        Path dir = home.resolve("runs");
        Files.createDirectories(dir);
        Path f = dir.resolve(record.get("id") + ".json");
        ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), record);
        return f;
    }
}
