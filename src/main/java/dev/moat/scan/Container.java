package dev.moat.scan;

import java.util.ArrayList;
import java.util.List;

/**
 * A running container as {@code docker inspect} showed it: name, the compose files and service that
 * made it (empty when it was started with {@code docker run}), and its published ports.
 */
public record Container(String name, List<String> composeFiles, String service, List<Publish> publishes) {
    /** One published port: host address and port, and the container port ({@code 8000/tcp}). */
    public record Publish(String hostIp, int hostPort, String containerPort) {}

    public Container {
        composeFiles = List.copyOf(composeFiles);
        publishes = List.copyOf(publishes);
        service = service == null ? "" : service;
    }

    public boolean fromCompose() {
        return !composeFiles.isEmpty();
    }

    /**
     * Parses the audit's {@code docker inspect --format} lines:
     * {@code /ai_vllm_1|/opt/ai/docker-compose.yml|vllm|8000/tcp=0.0.0.0:8000 8000/tcp=:::8000 }.
     */
    public static List<Container> parse(List<String> lines) {
        List<Container> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\\|", 4);
            if (f.length < 4) continue;
            String name = f[0].startsWith("/") ? f[0].substring(1) : f[0];
            List<String> files = new ArrayList<>();
            for (String s : f[1].split(",")) if (!s.isBlank() && !s.equals("<no value>")) files.add(s.trim());
            String service = f[2].equals("<no value>") ? "" : f[2].trim();
            List<Publish> pubs = new ArrayList<>();
            for (String p : f[3].trim().split("\\s+")) {
                int eq = p.indexOf('=');
                int colon = p.lastIndexOf(':');
                if (eq <= 0 || colon <= eq) continue;
                try {
                    pubs.add(new Publish(p.substring(eq + 1, colon), Integer.parseInt(p.substring(colon + 1)), p.substring(0, eq)));
                } catch (NumberFormatException e) {
                    // not published on a host port
                }
            }
            out.add(new Container(name, files, service, pubs));
        }
        return out;
    }
}
