package dev.moat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.runs.ResultJson;
import dev.moat.scan.Finding;
import dev.moat.scan.ScanRun;
import dev.moat.scan.Verdict;

/**
 * How {@code moat scan} shows its report: for people a table (a host's closed AI ports on one row,
 * each problem with its {@code fix:} line under it, then a summary line); with {@code --json} one
 * object per finding and a {@code scan_end} summary, nothing else.
 */
final class ScanPrinter {
    private ScanPrinter() {}

    static void table(PrintWriter out, ScanRun.Report report) {
        List<Finding> rows = report.findings();
        int hw = 4, cw = 5;
        List<Finding> shown = compress(rows);
        for (Finding f : shown) {
            hw = Math.max(hw, f.host().length());
            cw = Math.max(cw, Math.min(48, f.check().length()));
        }
        String fmt = "%-" + hw + "s  %-" + cw + "s  %-7s  %s%n";
        out.printf(fmt, "HOST", "CHECK", "VERDICT", "DETAIL");
        for (Finding f : shown) {
            out.printf(fmt, f.host(), f.check(), f.verdict(), f.detail());
            if (f.fix() != null && f.verdict() != Verdict.OK) out.printf("%-" + hw + "s  %-" + cw + "s  %-7s  fix: %s%n", "", "", "", f.fix());
        }
        long exposed = rows.stream().filter(f -> f.verdict() == Verdict.EXPOSED).count();
        long failed = rows.stream().filter(f -> f.verdict() == Verdict.FAIL).count();
        out.printf("%n%d host(s): %d EXPOSED, %d FAIL, %d OK in %d ms (exit %d)%n", report.hosts(), exposed, failed,
                rows.stream().filter(f -> f.verdict() == Verdict.OK).count(), report.ms(), report.exit());
    }

    /** For people: a host's closed/filtered AI ports on one row instead of ten. */
    static List<Finding> compress(List<Finding> rows) {
        List<Finding> out = new ArrayList<>();
        Map<String, Map<String, List<String>>> okPorts = new LinkedHashMap<>();
        Map<String, Integer> at = new LinkedHashMap<>();
        for (Finding f : rows) {
            if (f.verdict() == Verdict.OK && f.check().startsWith("port ")) {
                if (!at.containsKey(f.host())) {
                    at.put(f.host(), out.size());
                    out.add(null);
                }
                okPorts.computeIfAbsent(f.host(), k -> new LinkedHashMap<>()).computeIfAbsent(f.detail(), k -> new ArrayList<>())
                        .add(f.check().substring(5));
            } else {
                out.add(f);
            }
        }
        for (Map.Entry<String, Integer> e : at.entrySet()) {
            List<String> parts = new ArrayList<>();
            List<String> all = new ArrayList<>();
            okPorts.get(e.getKey()).forEach((state, ps) -> {
                parts.add(state + ": " + String.join(",", ps));
                all.addAll(ps);
            });
            out.set(e.getValue(), Finding.of(e.getKey(), all.size() == 1 ? "port " + all.get(0) : "ports", Verdict.OK, String.join("; ", parts)));
        }
        return out;
    }

    static void json(PrintWriter out, ScanRun.Report report) {
        List<Finding> rows = report.findings();
        for (Finding f : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "finding");
            m.put("side", report.side(f));
            m.put("host", f.host());
            m.put("check", f.check());
            m.put("verdict", f.verdict().name());
            m.put("detail", f.detail());
            if (f.fix() != null) m.put("fix", f.fix());
            out.println(ResultJson.line(m));
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("event", "scan_end");
        end.put("hosts", report.hosts());
        end.put("exposed", rows.stream().filter(f -> f.verdict() == Verdict.EXPOSED).count());
        end.put("failed", rows.stream().filter(f -> f.verdict() == Verdict.FAIL).count());
        end.put("exit", report.exit());
        end.put("ms", report.ms());
        out.println(ResultJson.line(end));
    }
}
