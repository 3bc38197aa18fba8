package dev.moat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.moat.runs.MoatHome;
import dev.moat.runs.ResultJson;
import dev.moat.runs.RunSummary;

/**
 * {@code moat runs [-n N] [--json]}: the run history from {@code $MOAT_HOME/runs}, newest first,
 * with each run's status (a run that never ended shows as {@code killed}, or {@code running}
 * while its process lives) and how many hosts were rolled back.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "runs", description = "List recorded runs: id, time, playbook, hosts, result.")
final class RunsCommand implements Callable<Integer> {
    @Option(names = "-n", description = "How many runs to show (default ${DEFAULT-VALUE}).", defaultValue = "20", converter = AtLeastOne.class)
    int count;

    @Option(names = "--json", description = "One JSON object per run.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final String FORMAT = "%-22s %-20s %-7s %-11s %-30s %5s %7s %6s %7s %8s %4s%n";

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = MoatHome.runs();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".json")).forEach(files::add);
            }
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        if (files.size() > count) files = files.subList(0, count);
        if (!json) out.printf(FORMAT, "RUN", "STARTED", "MODE", "STATUS", "PLAYBOOK", "HOSTS", "CHANGED", "FAILED", "UNREACH",
                "ROLLEDBK", "EXIT");
        for (Path f : files) {
            RunSummary r;
            try {
                r = RunSummary.of(ResultJson.MAPPER.readTree(f.toFile()));
            } catch (IOException e) {
                out.println(f.getFileName() + ": unreadable (" + e.getMessage() + ")");
                continue;
            }
            if (json) {
                out.println(ResultJson.MAPPER.writeValueAsString(r.json()));
            } else {
                String pb = r.playbook();
                if (pb.length() > 30) pb = "..." + pb.substring(pb.length() - 27);
                String started = r.started();
                if (started.length() > 19) started = started.substring(0, 19);
                out.printf(FORMAT, r.id(), started, r.command(), r.status(), pb, r.hosts(), r.changed(), r.failed(),
                        r.unreachable(), r.rolledBack(), r.exit() == null ? "-" : r.exit());
            }
        }
        out.flush();
        return 0;
    }
}
