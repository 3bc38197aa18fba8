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

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat runs [-n N]}: the run history from {@code $MOAT_HOME/runs}, newest first. */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "runs", description = "List recorded runs: id, time, playbook, hosts, result.")
final class RunsCommand implements Callable<Integer> {
    @Option(names = "-n", description = "How many runs to show (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int count;

    @Option(names = "--json", description = "One JSON object per run.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        if (!json) out.printf("%-22s %-20s %-7s %-30s %5s %7s %6s %6s %4s%n", "RUN", "STARTED", "MODE", "PLAYBOOK", "HOSTS",
                "CHANGED", "FAILED", "UNREACH", "EXIT");
        for (Path f : files) {
            JsonNode r;
            try {
                r = ResultJson.MAPPER.readTree(f.toFile());
            } catch (IOException e) {
                out.println(f.getFileName() + ": unreadable (" + e.getMessage() + ")");
                continue;
            }
            int changed = 0, failed = 0, unreachable = 0;
            for (JsonNode h : r.path("recap")) {
                changed += h.path("changed").asInt() > 0 ? 1 : 0;
                failed += h.path("failed").asInt() > 0 ? 1 : 0;
                unreachable += h.path("unreachable").asInt() > 0 ? 1 : 0;
            }
            if (json) {
                out.println(ResultJson.MAPPER.writeValueAsString(java.util.Map.of("id", r.path("id").asText(),
                        "started", r.path("started").asText(), "command", r.path("command").asText(),
                        "playbook", r.path("playbook").asText(), "hosts", r.path("hosts").size(),
                        "changed_hosts", changed, "failed_hosts", failed, "unreachable_hosts", unreachable,
                        "exit", r.path("exit").asInt())));
            } else {
                String pb = r.path("playbook").asText();
                if (pb.length() > 30) pb = "..." + pb.substring(pb.length() - 27);
                String started = r.path("started").asText();
                if (started.length() > 19) started = started.substring(0, 19);
                out.printf("%-22s %-20s %-7s %-30s %5d %7d %6d %6d %4d%n", r.path("id").asText(), started,
                        r.path("command").asText(), pb, r.path("hosts").size(), changed, failed, unreachable,
                        r.path("exit").asInt());
            }
        }
        out.flush();
        return 0;
    }
}
