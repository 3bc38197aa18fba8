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

/**
 * TaskResults and recaps as JSON-ready maps, shared by {@code --json} and the run record. no_log
 * results keep only their status; every string passes through {@code mask}. Undo records carry
 * paths and kinds, never contents.
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
            for (Diff d : r.diffs()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("before_header", d.beforeHeader());
                dm.put("after_header", d.afterHeader());
                dm.put("before", d.before() == null ? null : mask.apply(d.before()));
                dm.put("after", d.after() == null ? null : mask.apply(d.after()));
                diffs.add(dm);
            }
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
     * An undo record as the run record and {@code --json} keep it: kinds, paths and names; the one
     * free text, what an irreversible action was (a command line, which may hold a secret), masked.
     */
    static Map<String, Object> undo(Undo u, UnaryOperator<String> mask) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", u.getClass().getSimpleName());
        if (u instanceof Undo.RestorePath p) m.put("path", p.path());
        else if (u instanceof Undo.RemovePackages p) m.put("packages", p.names());
        else if (u instanceof Undo.RestoreService s) {
            m.put("service", s.name());
            m.put("running", s.running());
            m.put("enabled", s.enabled());
        } else if (u instanceof Undo.RecreateCompose c) {
            m.put("file", c.composeFile());
            m.put("services", c.services());
            m.put("project", c.project());
            m.put("dir", c.dir());
            m.put("files", c.files());
            m.put("stopped", c.stopped());
        } else if (u instanceof Undo.RecreateContainer c) {
            m.put("container", c.name());
            m.put("id", c.id());
            m.put("saved", c.saved());
        } else if (u instanceof Undo.Reload r) {
            m.put("service", r.service());
            if (r.restart()) m.put("restart", true);
        } else if (u instanceof Undo.Irreversible i) m.put("what", mask.apply(i.what()));
        return m;
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
