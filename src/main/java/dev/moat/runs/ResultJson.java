package dev.moat.runs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.moat.engine.HostRecap;
import dev.moat.engine.TaskResult;
import dev.moat.journal.Undo;
import dev.moat.module.Diff;
import dev.moat.module.UnifiedDiff;

/**
 * TaskResults and recaps as JSON-ready maps, shared by {@code --json} and the run record. no_log
 * results keep only their status; every string passes through {@code mask}. Undo records carry
 * paths and kinds, never contents; a file's diff is its unified diff, or "contents hidden" for a
 * secret file.
 */
public final class ResultJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ResultJson() {}

    public static Map<String, Object> task(TaskResult r, UnaryOperator<String> mask) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("task", mask.apply(r.task()));
        m.put("module", r.module());
        m.put("where", r.where());
        m.put("status", r.status().label());
        if (r.ignored()) m.put("ignored", true);
        m.put("ms", r.millis());
        if (r.noLog()) {
            m.put("no_log", true);
            return m;
        }
        if (r.message() != null) m.put("msg", mask.apply(r.message()));
        if (!r.diffs().isEmpty()) {
            List<Object> diffs = new ArrayList<>();
            for (Diff d : r.diffs()) diffs.add(diff(d, mask));
            m.put("diff", diffs);
        }
        if (!r.undo().isEmpty()) {
            List<Object> undo = new ArrayList<>();
            for (Undo u : r.undo()) undo.add(undo(u, mask));
            m.put("undo", undo);
        }
        return m;
    }

    /**
     * A diff as the record and {@code --json} keep it. A file: its path and the unified diff of its
     * contents (changed lines with their context, never the whole file), or {@code "contents":
     * "hidden"} for a secret file. Anything else: before and after. Masked.
     */
    static Map<String, Object> diff(Diff d, UnaryOperator<String> mask) {
        Map<String, Object> dm = new LinkedHashMap<>();
        if (d.isFile()) {
            dm.put("path", mask.apply(d.beforeHeader()));
            if (d.hidden()) dm.put("contents", "hidden");
            else dm.put("diff", mask.apply(UnifiedDiff.render(d.beforeHeader(), d.afterHeader(),
                    d.before() == null ? "" : d.before(), d.after() == null ? "" : d.after())));
            return dm;
        }
        dm.put("before_header", mask.apply(d.beforeHeader()));
        dm.put("after_header", mask.apply(d.afterHeader()));
        dm.put("before", d.before() == null ? null : mask.apply(d.before()));
        dm.put("after", d.after() == null ? null : mask.apply(d.after()));
        return dm;
    }

    /**
     * An undo record as the run record and {@code --json} keep it: kinds, paths and names, never
     * contents; every string masked (a path or a command line may hold a secret). A masked path is
     * rolled back from the host's journal, which keeps the real one ({@link Undo.RestoreJournaledPath});
     * {@link UndoJson} refuses any other masked field rather than touch the wrong thing.
     */
    static Map<String, Object> undo(Undo u, UnaryOperator<String> mask) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", u.getClass().getSimpleName());
        if (u instanceof Undo.RestorePath p) m.put("path", mask.apply(p.path()));
        else if (u instanceof Undo.RestoreJournaledPath p) {
            m.put("kind", "RestorePath"); // as the run recorded it: the path masked, kept on the host
            m.put("path", mask.apply(p.shown()));
        }
        else if (u instanceof Undo.RemovePackages p) m.put("packages", masked(p.names(), mask));
        else if (u instanceof Undo.RestoreService s) {
            m.put("service", mask.apply(s.name()));
            m.put("running", s.running());
            m.put("enabled", s.enabled());
        } else if (u instanceof Undo.RestoreUnit s) {
            m.put("unit", mask.apply(s.name()));
            m.put("active", s.active());
            m.put("enabled", s.enabled());
            m.put("masked", s.masked());
        } else if (u instanceof Undo.RestoreSelection s) {
            m.put("package", mask.apply(s.name()));
            m.put("selection", s.selection());
        } else if (u instanceof Undo.Unmount x) {
            m.put("path", mask.apply(x.path()));
            m.put("remove_dir", x.removeDir());
        } else if (u instanceof Undo.RestoreSysctl s) {
            m.put("sysctl", mask.apply(s.name()));
            m.put("value", mask.apply(s.value()));
        } else if (u instanceof Undo.RecreateCompose c) {
            m.put("file", mask.apply(c.composeFile()));
            m.put("services", masked(c.services(), mask));
            m.put("project", c.project() == null ? null : mask.apply(c.project()));
            m.put("dir", c.dir() == null ? null : mask.apply(c.dir()));
            m.put("files", masked(c.files(), mask));
            m.put("stopped", masked(c.stopped(), mask));
        } else if (u instanceof Undo.RecreateContainer c) {
            m.put("container", mask.apply(c.name()));
            m.put("id", c.id());
            m.put("saved", mask.apply(c.saved()));
        } else if (u instanceof Undo.RemoveDocker d) {
            m.put("docker", d.kind());
            m.put("name", mask.apply(d.name()));
            if (!d.services().isEmpty()) m.put("services", masked(d.services(), mask));
        } else if (u instanceof Undo.Reload r) {
            m.put("service", mask.apply(r.service()));
            if (r.restart()) m.put("restart", true);
        } else if (u instanceof Undo.Irreversible i) m.put("what", mask.apply(i.what()));
        return m;
    }

    private static List<String> masked(List<String> values, UnaryOperator<String> mask) {
        if (values == null) return null;
        List<String> out = new ArrayList<>();
        for (String v : values) out.add(v == null ? null : mask.apply(v));
        return out;
    }

    public static Map<String, Object> recap(HostRecap r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("ok", r.ok());
        m.put("changed", r.changed());
        m.put("unreachable", r.unreachable());
        m.put("failed", r.failed());
        m.put("skipped", r.skipped());
        m.put("ignored", r.ignored());
        if (r.note() != null) m.put("note", r.note());
        return m;
    }

    public static String line(Map<String, Object> m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
