package dev.moat.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.compose.ComposeFile;
import dev.moat.compose.ComposeFiles;
import dev.moat.compose.Interpolation;

/**
 * The inside audit script's output, split into its sections. A section holds its lines, or says the
 * tool was missing ({@code missing}) or failed ({@code error}, its first line of output).
 */
public record AuditOutput(Map<String, Section> sections) {
    /** One section of the output. */
    public record Section(String name, List<String> lines, String missing, String error) {
        public Section {
            lines = List.copyOf(lines);
        }

        /** Whether the tool ran and its lines can be believed. */
        public boolean ran() {
            return missing == null && error == null;
        }

        /** "TOOL not installed" / "SECTION failed: ..." / null when it ran. */
        public String problem() {
            if (missing != null) return missing + " not installed";
            if (error != null) return name + " failed: " + error;
            return null;
        }
    }

    public AuditOutput {
        sections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /** The section, or an empty one that says it was missing from the output. */
    public Section section(String name) {
        Section s = sections.get(name);
        return s != null ? s : new Section(name, List.of(), null, "no such section in the audit output");
    }

    /**
     * The host's global IPv6 addresses from the {@code addr6} section ({@code /proc/net/if_inet6}:
     * address, ifindex, prefix length, scope, flags, interface): scope global (00), not tentative
     * or deprecated, on any interface but loopback and Docker's own bridges (docker0, br-*), where
     * an address is the host's and not reachable from outside. Unique local addresses (fc00::/7)
     * count: they are global in scope and routed within a site, as the datacenter's neighbours are.
     */
    public List<String> globalIpv6() {
        List<String> out = new ArrayList<>();
        for (String l : section("addr6").lines()) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 6 || !f[0].matches("[0-9a-fA-F]{32}") || !f[3].equals("00")) continue;
            int flags;
            try {
                flags = Integer.parseInt(f[4], 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if ((flags & (0x40 | 0x20 | 0x08)) != 0) continue; // IFA_F_TENTATIVE, _DEPRECATED, _DADFAILED
            String iface = f[5];
            if (iface.equals("lo") || iface.equals("docker0") || iface.startsWith("br-")) continue;
            StringBuilder a = new StringBuilder();
            for (int g = 0; g < 8; g++) a.append(g == 0 ? "" : ":").append(f[0], g * 4, g * 4 + 4);
            try {
                String text = dev.moat.compose.Ip.text(java.net.InetAddress.getByName(a.toString()));
                if (!out.contains(text)) out.add(text);
            } catch (java.net.UnknownHostException e) {
                // not an address after all
            }
        }
        return out;
    }

    /** Parses the script's stdout; IllegalArgumentException when it is not the audit's output at all. */
    public static AuditOutput parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) i++;
        if (i >= lines.length || !lines[i].trim().equals(AuditScript.MAGIC)) {
            throw new IllegalArgumentException("not moat's audit output (expected '" + AuditScript.MAGIC + "' first)");
        }
        Map<String, Section> out = new LinkedHashMap<>();
        String name = null;
        List<String> body = new ArrayList<>();
        String missing = null, error = null;
        for (i++; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("@@section ")) {
                if (name != null) out.put(name, new Section(name, body, missing, error));
                name = l.substring("@@section ".length()).trim();
                body = new ArrayList<>();
                missing = null;
                error = null;
            } else if (name == null) {
                continue;
            } else if (l.startsWith("@@missing ")) {
                missing = l.substring("@@missing ".length()).trim();
            } else if (l.startsWith("@@error")) {
                error = l.substring("@@error".length()).trim();
            } else if (!l.isEmpty() || name.equals("compose")) {
                body.add(l);
            }
        }
        if (name != null) out.put(name, new Section(name, body, missing, error));
        if (!out.containsKey("end")) throw new IllegalArgumentException("the audit output ends early (no end section)");
        return new AuditOutput(out);
    }

    /**
     * The compose files of the {@code compose} section, each once by real path, with the variables
     * of the {@code .env} beside it: the same {@link ComposeFiles} that {@code compose_ports} reads.
     */
    public ComposeFiles composeFiles() {
        Map<String, String> envs = composeBlocks("@@env ");
        Map<String, ComposeFile> byReal = new LinkedHashMap<>();
        composeBlocks("@@file ").forEach((head, text) -> {
            String[] f = head.split("\t", 2);
            String path = f[0];
            String env = envs.get(path.substring(0, path.lastIndexOf('/') + 1) + ".env");
            ComposeFile file = new ComposeFile(path, f.length > 1 ? f[1] : path, text, Interpolation.parseEnvFile(env));
            byReal.putIfAbsent(file.realPath(), file);
        });
        return new ComposeFiles(List.copyOf(byReal.values()), List.of(), List.of());
    }

    /** The blocks of the compose section whose header starts with {@code kind}: the header's rest (the path) → content. */
    private Map<String, String> composeBlocks(String kind) {
        Map<String, String> blocks = new LinkedHashMap<>();
        String path = null;
        StringBuilder content = new StringBuilder();
        for (String l : section("compose").lines()) {
            if (l.startsWith("@@file ") || l.startsWith("@@env ")) {
                if (path != null) blocks.put(path, content.toString());
                path = l.startsWith(kind) ? l.substring(kind.length()) : null;
                content = new StringBuilder();
            } else if (path != null && l.startsWith("|")) {
                content.append(l, 1, l.length()).append('\n');
            }
        }
        if (path != null) blocks.put(path, content.toString());
        return blocks;
    }
}
