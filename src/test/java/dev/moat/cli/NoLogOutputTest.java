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
}
