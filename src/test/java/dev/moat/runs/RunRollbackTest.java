package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Journal;
import dev.moat.journal.RemoteLock;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * {@code moat rollback}'s decisions over fake hosts that answer the lock, the journal check, the
 * changed-since check and each restore: the order entries are restored in, what is refused, and
 * which entries end up marked restored in the run record.
 */
class RunRollbackTest {
    @TempDir Path home;
    Path inventory;

    /** One host's answers; keeps every script it was sent. */
    static final class FakeHost implements Transport {
        final String name;
        final List<String> scripts = new ArrayList<>();
        boolean lockHeld, journalGone, changed;
        Set<Integer> failing = Set.of();
        String completed = "";

        FakeHost(String name) {
            this.name = name;
        }

        @Override public String host() { return name; }

        @Override
        public synchronized ExecResult exec(Command c) {
            String s = c.script();
            scripts.add(s);
            Integer seq = restoredSeq(s);
            if (seq != null) return failing.contains(seq) ? result(1, "", "tar: broken") : ok();
            if (s.contains("moat-lock")) return lockHeld ? result(RemoteLock.HELD, "r0 started now by bob@there", "") : ok();
            if (s.startsWith("[ -d ")) return journalGone ? result(1, "", "") : ok();
            if (s.contains("basename")) return result(0, completed, "");
            if (s.contains("cmp -s")) return changed ? result(Journal.CHANGED_SINCE, "", "/etc/a changed since the run:\nedited") : ok();
            return ok();
        }

        /** The seqs restored, in order. */
        synchronized List<Integer> restored() {
            List<Integer> out = new ArrayList<>();
            for (String s : scripts) {
                Integer seq = restoredSeq(s);
                if (seq != null) out.add(seq);
            }
            return out;
        }

        private static Integer restoredSeq(String script) {
            Matcher m = RESTORE.matcher(script);
            return script.contains("is missing") && m.find() ? Integer.valueOf(m.group(1)) : null;
        }

        boolean released() {
            return scripts.stream().anyMatch(s -> s.startsWith("if grep -qF") && s.contains("kill"));
        }

        @Override public void close() {}
    }

    private static final Pattern RESTORE = Pattern.compile("^set -e; d='?[^'\\s]*/(\\d+)'?\\n");

    final Map<String, FakeHost> hosts = new ConcurrentHashMap<>();
    final StringWriter out = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        RunRecords.useHome(home);
        inventory = home.resolve("hosts.yml");
        Files.writeString(inventory, "all:\n  hosts:\n    h1:\n    h2:\n");
        hosts.put("h1", new FakeHost("h1"));
        hosts.put("h2", new FakeHost("h2"));
    }

    @AfterEach
    void clear() {
        RunRecords.clearHome();
    }

    private int rollback(String run, String limit, boolean force) throws Exception {
        return new RunRollback(run, inventory, limit, force).execute(new PrintWriter(out, true), (inv, names) -> new RunRollback.Connections() {
            @Override public Transport connect(String host) { return hosts.get(host); }
            @Override public void close() {}
        });
    }

    private static Map<String, Object> reload(int seq) {
        Map<String, Object> m = new LinkedHashMap<>(RunRecords.entry(seq, "/etc/nginx", false));
        m.put("undo", Map.of("kind", "Reload", "service", "nginx", "script", "nginx -s reload"));
        return m;
    }

    private Path run(String id, Map<String, Object> journal) throws Exception {
        return RunRecords.write(home, RunRecords.finished(id, List.of("h1", "h2"), Map.of(), journal));
    }

    /** Each host's journal: one entry, /etc/a. */
    private static Map<String, Object> eachHostWroteA() {
        return Map.of("h1", List.of(RunRecords.entry(1, "/etc/a", false)), "h2", List.of(RunRecords.entry(1, "/etc/a", false)));
    }

    private static List<Boolean> restored(Path record, String host) throws Exception {
        List<Boolean> r = new ArrayList<>();
        for (JsonNode e : ResultJson.MAPPER.readTree(record.toFile()).path("journal").path(host)) r.add(e.path("restored").asBoolean());
        return r;
    }

    @Test
    void restoresNewestFirstReloadsLastAndMarksWhatItSettled() throws Exception {
        Path f = run("20260101T000000-aaaa", Map.of("h1", List.of(RunRecords.entry(1, "/etc/a", false), reload(2),
                RunRecords.entry(3, "/etc/b", false), RecordedRunTest.command(4))));
        assertEquals(ExitCode.OK, rollback("last", null, false));
        FakeHost h1 = hosts.get("h1");
        assertEquals(List.of(3, 1, 2), h1.restored(), "newest first, the reload after every restore");
        assertTrue(h1.released(), "the lock is let go");
        assertTrue(hosts.get("h2").scripts.isEmpty(), "h2 has nothing in the record");
        String s = out.toString();
        assertTrue(s.contains("ROLLBACK run 20260101T000000-aaaa (playbooks/site.yml) on 1 host(s)"), s);
        assertTrue(s.contains("rolled back: [h1] restored 3 change(s)\n    cannot be undone, left as they are: shell: ss -Htlnp"), s);
        assertEquals(List.of(true, true, true, true), restored(f, "h1"), "the irreversible entry is settled too");
        assertEquals(ExitCode.OK, rollback("20260101T000000-aaaa", null, false));
        assertTrue(out.toString().contains("run 20260101T000000-aaaa: nothing left to roll back"), out.toString());
    }

    @Test
    void aFailedRestoreLeavesItsEntryForTheNextRollback() throws Exception {
        Path f = run("20260101T000000-aaaa", Map.of("h1", List.of(RunRecords.entry(1, "/etc/a", false), RunRecords.entry(2, "/etc/b", false)),
                "h2", List.of(RunRecords.entry(1, "/etc/a", false))));
        hosts.get("h1").failing = Set.of(2);
        assertEquals(ExitCode.FAILED, rollback("last", null, false));
        assertEquals(List.of(2, 1), hosts.get("h1").restored(), "the rest is still tried");
        String s = out.toString();
        assertTrue(s.contains("failed: [h1] restored 1 change(s); NOT restored:\n    /etc/b (from 'write /etc/b'): tar: broken"), s);
        assertTrue(s.contains("rolled back: [h2] restored 1 change(s)"), s);
        assertEquals(List.of(true, false), restored(f, "h1"));
        assertEquals(List.of(true), restored(f, "h2"));
    }

    @Test
    void aChangeSinceTheRunIsRefusedUnlessForcedAndLimitKeepsToItsHosts() throws Exception {
        Path f = run("20260101T000000-aaaa", eachHostWroteA());
        hosts.get("h1").changed = true;
        assertEquals(ExitCode.FAILED, rollback("last", "h1", false));
        assertTrue(out.toString().contains("refused: [h1] changed since run 20260101T000000-aaaa (use --force to restore anyway):\n"
                + "    /etc/a changed since the run:\nedited"), out.toString());
        assertEquals(List.of(), hosts.get("h1").restored());
        assertTrue(hosts.get("h2").scripts.isEmpty(), "--limit h1");
        assertEquals(List.of(false), restored(f, "h1"));
        assertEquals(ExitCode.OK, rollback("last", "h1", true));
        assertEquals(List.of(1), hosts.get("h1").restored());
        assertEquals(List.of(true), restored(f, "h1"));
        assertEquals(List.of(false), restored(f, "h2"));
    }

    @Test
    void aHeldLockOrAMissingJournalRefusesTheHostAndMarksNothing() throws Exception {
        Path f = run("20260101T000000-aaaa", eachHostWroteA());
        hosts.get("h1").lockHeld = true;
        hosts.get("h2").journalGone = true;
        assertEquals(ExitCode.FAILED, rollback("last", null, false));
        String s = out.toString();
        assertTrue(s.contains("refused: [h1] another moat run is changing this host: r0 started now by bob@there"), s);
        assertTrue(s.contains("failed: [h2] the host has no journal of run 20260101T000000-aaaa"), s);
        assertFalse(hosts.get("h1").released(), "a lock not taken is not released");
        assertTrue(hosts.get("h2").released());
        assertEquals(List.of(false), restored(f, "h1"));
        assertEquals(List.of(false), restored(f, "h2"));
    }

    @Test
    void aKilledRunRestoresOnlyWhatItsHostTookAndSettlesTheRest() throws Exception {
        Path f = RunRecords.write(home, RunRecords.killed("20260101T000000-aaaa", List.of("h1", "h2"), Map.of(
                "h1", List.of(RunRecords.entry(1, "/etc/a", false), RunRecords.entry(2, "/etc/b", false)),
                "h2", List.of(RunRecords.entry(1, "/etc/a", false)))));
        hosts.get("h1").completed = "1\n";
        assertEquals(ExitCode.OK, rollback("last", null, false));
        String s = out.toString();
        assertTrue(s.contains("was killed before it ended"), s);
        assertTrue(s.contains("rolled back: [h1] restored 1 change(s)"), s);
        assertTrue(s.contains("nothing to roll back: [h2] run 20260101T000000-aaaa was killed before it changed this host"), s);
        assertFalse(s.contains("changed no host before it was killed"), "h1 was changed: " + s);
        assertEquals(List.of(1), hosts.get("h1").restored());
        assertEquals(List.of(true, true), restored(f, "h1"));
        assertEquals(List.of(true), restored(f, "h2"));
    }

    static ExecResult ok() {
        return result(0, "", "");
    }

    static ExecResult result(int rc, String out, String err) {
        return new ExecResult(rc, out.getBytes(StandardCharsets.UTF_8), err.getBytes(StandardCharsets.UTF_8));
    }
}
