package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.engine.Status;
import dev.moat.engine.TaskResult;
import dev.moat.journal.Undo;
import dev.moat.module.Diff;
import dev.moat.runs.RunRecorder;

/** A no_log task shows its status only: no message, diff or output in the human printer, --json or the run record. */
class NoLogOutputTest {
    @TempDir Path tmp;

    private static TaskResult result(Status status, boolean noLog) {
        return new TaskResult("h1", "set the token", "copy", "play.yml:3:7", status, false, "wrote s3cret-msg",
                List.of(Diff.file("/etc/token", "old-s3cret\n", "new-s3cret\n")), List.of(new Undo.RestorePath("/etc/token")),
                Map.of("stdout", "s3cret-out"), 5, noLog, null);
    }

    private static String human(TaskResult r) {
        StringWriter out = new StringWriter();
        HumanPrinter p = new HumanPrinter(new PrintWriter(out), false, true, 2, s -> s);
        p.runStart("r1", "play.yml", List.of("h1"), true);
        p.taskResult(r);
        return out.toString();
    }

    @Test
    void theHumanPrinterShowsTheStatusOnly() {
        String shown = human(result(Status.CHANGED, false));
        assertTrue(shown.contains("new-s3cret"), "without no_log the diff shows: " + shown);
        String hidden = human(result(Status.CHANGED, true));
        assertTrue(hidden.contains("changed: [h1] set the token"), hidden);
        assertFalse(hidden.contains("s3cret"), hidden);
        String failed = human(result(Status.FAILED, true));
        assertTrue(failed.contains("the output has been hidden due to no_log"), failed);
        assertFalse(failed.contains("s3cret"), failed);
    }

    @Test
    void jsonLinesShowTheStatusOnly() {
        StringWriter out = new StringWriter();
        JsonPrinter p = new JsonPrinter(new PrintWriter(out), s -> s);
        p.taskResult(result(Status.CHANGED, true));
        String line = out.toString();
        assertTrue(line.contains("\"no_log\":true") && line.contains("\"status\":\"changed\""), line);
        assertFalse(line.contains("s3cret"), line);
    }

    @Test
    void theRunRecordKeepsTheStatusOnly() throws Exception {
        RunRecorder rec = new RunRecorder(tmp, "apply", s -> s);
        rec.runStart("r1", "play.yml", List.of("h1"), false);
        rec.taskResult(result(Status.CHANGED, true));
        rec.runEnd("r1", Map.of(), 0, 1);
        rec.write(Map.of());
        String record = Files.readString(tmp.resolve("r1.json"));
        assertTrue(record.contains("\"no_log\" : true"), record);
        assertFalse(record.contains("s3cret"), record);
    }

    @Test
    void aSecretInACommandIsMaskedInTheUndoAndANoLogCommandIsNeverRecorded() throws Exception {
        java.util.function.UnaryOperator<String> mask = x -> x.replace("hunter2", "********");
        // A shell task whose command holds a secret from lookup('env'), and a no_log one.
        TaskResult shell = new TaskResult("h1", "set the password", "shell", "play.yml:3:7", Status.CHANGED, false, null,
                List.of(), List.of(new Undo.Irreversible("shell: htpasswd -b /etc/pw api hunter2")), Map.of(), 5, false, null);
        StringWriter out = new StringWriter();
        new JsonPrinter(new PrintWriter(out), mask).taskResult(shell);
        assertFalse(out.toString().contains("hunter2"), out.toString());
        assertTrue(out.toString().contains("********"), out.toString());

        RunRecorder rec = new RunRecorder(tmp, "apply", mask);
        rec.runStart("r2", "play.yml", List.of("h1"), false);
        rec.taskResult(shell);
        dev.moat.journal.Ledger ledger = new dev.moat.journal.Ledger(new java.util.concurrent.atomic.AtomicInteger());
        ledger.add(new dev.moat.journal.Ledger.Entry(1, shell.undo().get(0), "set the password", "p", 0, false, false));
        ledger.add(new dev.moat.journal.Ledger.Entry(2, new Undo.Irreversible("shell: echo quiet-but-not-a-lookup"), "quiet", "p", 0, false, true));
        rec.runEnd("r2", Map.of(), 0, 1);
        rec.write(Map.of("h1", ledger));
        String record = Files.readString(tmp.resolve("r2.json"));
        assertFalse(record.contains("hunter2"), record);
        assertFalse(record.contains("quiet-but-not-a-lookup"), "a no_log task's command is not recorded: " + record);
        assertTrue(record.contains("an action of a no_log task or of one holding a secret (hidden)"), record);
    }
}
