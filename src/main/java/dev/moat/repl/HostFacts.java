package dev.moat.repl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code :facts}: what an operator wants to know about a GPU server first, read in ONE command:
 * the OS (/etc/os-release), the package manager, Docker and Compose (v2 plugin and v1), GPUs
 * (nvidia-smi, when present), listening TCP sockets with their addresses ({@code ss -Htln}, with
 * the process when the user may see it) and UFW's state. The script prints sections that
 * {@link #parse} splits; {@link #render} lays them out.
 */
final class HostFacts {
    static final String SCRIPT = String.join("\n",
            "echo '@@os'; ( . /etc/os-release 2>/dev/null && printf '%s\\n' \"${PRETTY_NAME:-$NAME $VERSION}\" ) || uname -sr",
            "echo '@@kernel'; uname -rm",
            "echo '@@pkg'; for p in apt-get dnf yum zypper apk pacman; do command -v $p >/dev/null 2>&1 && { echo ${p%-get}; break; }; done",
            "echo '@@docker'; command -v docker >/dev/null 2>&1 && { timeout 5 docker version --format '{{.Server.Version}}' 2>/dev/null"
                    + " || { docker --version 2>/dev/null | sed 's/^Docker version \\([^,]*\\).*/\\1 (client; the daemon does not answer)/'; }; }",
            "echo '@@compose'; command -v docker >/dev/null 2>&1 && timeout 5 docker compose version --short 2>/dev/null | sed 's/^/v2 plugin /'",
            "command -v docker-compose >/dev/null 2>&1 && docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'",
            "echo '@@gpu'; command -v nvidia-smi >/dev/null 2>&1 && timeout 10 nvidia-smi --query-gpu=index,name,memory.total,driver_version"
                    + " --format=csv,noheader 2>&1",
            "echo '@@listen'; ss -Htlnp 2>/dev/null || ss -Htln 2>/dev/null || echo '(ss is not installed)'",
            "echo '@@ufw'; if command -v ufw >/dev/null 2>&1; then ufw status verbose 2>&1 | sed -n '1,3p'; else echo 'not installed'; fi",
            "true");

    private HostFacts() {}

    /** The script's sections by name, each its lines (blank lines dropped). */
    static Map<String, List<String>> parse(String out) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> cur = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("@@")) {
                cur = new ArrayList<>();
                m.put(line.substring(2).strip(), cur);
            } else if (cur != null && !line.isBlank()) {
                cur.add(line.strip());
            }
        }
        return m;
    }

    static String render(Map<String, List<String>> s) {
        StringBuilder b = new StringBuilder();
        row(b, "os", first(s, "os", "unknown") + " (" + first(s, "kernel", "?") + ")");
        row(b, "packages", first(s, "pkg", "no known package manager"));
        row(b, "docker", first(s, "docker", "not installed"));
        List<String> compose = s.getOrDefault("compose", List.of());
        row(b, "compose", compose.isEmpty() ? "not installed" : String.join("; ", compose));
        List<String> gpu = s.get("gpu");
        if (gpu == null || gpu.isEmpty()) row(b, "gpus", "none seen (no nvidia-smi)");
        else for (int i = 0; i < gpu.size(); i++) row(b, i == 0 ? "gpus" : "", gpu.get(i));
        List<String> listen = listening(s.getOrDefault("listen", List.of()));
        if (listen.isEmpty()) row(b, "listening", "nothing");
        for (int i = 0; i < listen.size(); i++) row(b, i == 0 ? "listening" : "", listen.get(i));
        List<String> ufw = s.getOrDefault("ufw", List.of());
        row(b, "ufw", ufw.isEmpty() ? "unknown" : String.join("; ", ufw));
        return b.toString().stripTrailing();
    }

    /**
     * {@code LISTEN 0 128 0.0.0.0:8000 0.0.0.0:* users:(("python3",pid=9,fd=3))} as
     * {@code 0.0.0.0:8000  python3  PUBLIC}: an address that is not loopback is reachable from outside
     * unless a firewall stops it (and Docker's DNAT bypasses UFW).
     */
    static List<String> listening(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 4 || !f[0].equals("LISTEN")) {
                if (!l.isBlank() && !l.startsWith("LISTEN")) out.add(l);
                continue;
            }
            String addr = f[3];
            String proc = "";
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(\\(\"([^\"]+)\"").matcher(l);
            if (m.find()) proc = m.group(1);
            String host = addr.substring(0, Math.max(0, addr.lastIndexOf(':')));
            boolean loopback = host.startsWith("127.") || host.equals("[::1]") || host.startsWith("[::ffff:127.");
            String line = String.format("%-22s %-14s %s", addr, proc, loopback ? "loopback" : "PUBLIC").stripTrailing();
            if (!out.contains(line)) out.add(line);
        }
        return out;
    }

    private static String first(Map<String, List<String>> s, String key, String fallback) {
        List<String> l = s.get(key);
        return l == null || l.isEmpty() ? fallback : l.get(0);
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format("%-10s %s%n", name.isEmpty() ? "" : name + ":", value));
    }
}
