package dev.moat.scan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.compose.Binding;
import dev.moat.compose.ComposeDocument;
import dev.moat.compose.ComposeFile;
import dev.moat.compose.ComposeFiles;
import dev.moat.compose.Container;
import dev.moat.compose.ContainersFact;
import dev.moat.compose.Interpolation;
import dev.moat.compose.Ip;
import dev.moat.compose.PortEntry;
import dev.moat.compose.PortRange;
import dev.moat.compose.PortSpec;
import dev.moat.compose.PortSyntaxException;
import dev.moat.compose.TooDeepException;
import dev.moat.module.TaskException;

/**
 * Turns one host's {@link AuditOutput} into findings, each naming the harden-inference.yml task or
 * variable that closes it: AI-port listeners on a non-loopback address; containers publishing on
 * one; Docker's DNAT rules that UFW's status does not show; compose files publishing on one;
 * {@code OLLAMA_HOST}/{@code GRADIO_SERVER_NAME} set to all interfaces in units, their drop-ins,
 * the files their {@code EnvironmentFile=} names, or running processes; ComfyUI/Gradio/uvicorn started with {@code --listen}/{@code --host 0.0.0.0}.
 * A port UFW does not let in is only INFO for a host process (UFW covers it), never for Docker
 * (its DNAT runs before UFW). Containers, compose files and their ports are read with the Compose
 * model of {@code compose_ports} ({@link Container}, {@link ComposeDocument}, {@link PortEntry}),
 * so the scan reports what the hardening fixes. Pure: no I/O.
 */
public final class InsideAudit {
    static final String FIX_COMPOSE = "compose_ports (compose_search / compose_bind): publish on 127.0.0.1 and recreate";
    static final String FIX_RUN = "container_ports (compose_bind): recreate it with its ports on 127.0.0.1";
    static final String FIX_UFW = "ufw baseline (deny incoming; allow ssh_port, 80, 443)";
    private static final Pattern LISTEN = Pattern.compile("(?:^|\\s)--(listen|host|server-name)(?:[ =]([^\\s-][^\\s]*))?(?=\\s|$)");
    private static final Pattern AI_PROGRAM = Pattern.compile("(?i)comfy|gradio|vllm|ollama|webui|jupyter|tensorboard|sglang|llama|text-generation|lmdeploy|tgi");
    private static final Pattern PORT_ARG = Pattern.compile("(?:^|\\s)--(?:port|server-port)[ =](\\d+)");

    private InsideAudit() {}

    /** @param aiPorts the AI ports (a listener or publish on one is EXPOSED; on another port INFO) */
    public static List<Finding> findings(String host, AuditOutput out, Set<Integer> aiPorts) {
        List<Finding> f = new ArrayList<>();
        UfwStatus ufw = UfwStatus.parse(out.section("ufw"));
        if (!out.section("ufw").ran()) f.add(Finding.of(host, "ufw", Verdict.INFO, out.section("ufw").problem()));
        else f.add(Finding.of(host, "ufw", Verdict.INFO, ufw.active() ? "active, " + ufw.allowRules().size() + " ALLOW rule(s)" : "inactive"));
        DockerReach reach = DockerReach.of(out.section("docker-user"), ufw);
        List<Finding> dockerNotes = new ArrayList<>();
        List<Container> containers = containers(host, out.section("docker"), dockerNotes);
        listeners(host, out, aiPorts, ufw, reach, containers, f);
        ComposeFiles files = out.composeFiles();
        f.addAll(dockerNotes);
        for (Container c : containers) {
            for (Binding b : published(c)) {
                Verdict v = aiPorts.contains(b.hostNumber()) && reach.reachable(b) ? Verdict.EXPOSED : Verdict.INFO;
                String where = b.hostIp().isEmpty() ? "every address" : b.hostIp();
                f.add(new Finding(host, "container " + c.name(), v, "publishes " + b.containerPort() + " on " + where + ":" + b.hostPort()
                        + (c.compose() ? " (compose service " + c.service() + " of " + madeFrom(c) + ")" : "")
                        + (reach.guarded() ? "; " + reach.words(b) : ""),
                        containerFix(c, b, files)));
            }
        }
        dnat(host, out, aiPorts, ufw, reach, containers, files, f);
        compose(host, files, aiPorts, f);
        envSettings(host, out, ufw, f);
        flags(host, out, aiPorts, ufw, f);
        return f;
    }

    /** The running containers of the docker section ({@code docker inspect}'s JSON); a section that did not run says why. */
    private static List<Container> containers(String host, AuditOutput.Section docker, List<Finding> f) {
        if (!docker.ran()) {
            f.add(Finding.of(host, "docker", Verdict.INFO, docker.problem()));
            return List.of();
        }
        try {
            return ContainersFact.parse(String.join("\n", docker.lines())).stream().filter(Container::running).toList();
        } catch (TaskException e) {
            f.add(Finding.of(host, "docker", Verdict.INFO, e.getMessage()));
            return List.of();
        }
    }

    /** The host ports Docker publishes for the container now, outside loopback. */
    private static List<Binding> published(Container c) {
        List<Binding> out = new ArrayList<>();
        for (Binding b : c.live()) if (b.hostNumber() >= 0 && !Ip.isLoopback(b.hostIp())) out.add(b);
        return out;
    }

    private static String madeFrom(Container c) {
        return c.configFiles().isEmpty() ? "project " + c.project() : String.join(", ", c.configFiles());
    }

    private static void listeners(String host, AuditOutput out, Set<Integer> aiPorts, UfwStatus ufw, DockerReach reach,
                                  List<Container> containers, List<Finding> f) {
        AuditOutput.Section ss = out.section("ss");
        List<Listener> ls = ss.ran() ? Listener.parseSs(ss.lines()) : Listener.parseProc(ss.lines());
        if (!ss.ran()) f.add(Finding.of(host, "listeners", Verdict.INFO, ss.problem() + "; read /proc/net/tcp instead (no process names)"));
        Set<String> seen = new LinkedHashSet<>();
        for (Listener l : ls) {
            if (!aiPorts.contains(l.port()) || Ip.isLoopback(l.address()) || !seen.add(l.address() + ":" + l.port())) continue;
            boolean docker = l.process() != null && l.process().startsWith("docker-proxy");
            String what = (l.address().contains(":") ? "[" + l.address() + "]" : l.address()) + ":" + l.port();
            String by = l.process() == null ? "" : " by " + l.process();
            Binding pub = docker ? publishing(containers, l) : null;
            if (docker && reach.guarded() && pub != null) {
                f.add(new Finding(host, "listener " + what, reach.reachable(pub) ? Verdict.EXPOSED : Verdict.INFO,
                        "listens" + by + ": a Docker-published port; " + reach.words(pub), FIX_COMPOSE));
            } else if (docker) {
                f.add(new Finding(host, "listener " + what, Verdict.EXPOSED, "listens" + by + ": a Docker-published port (UFW does not stop it)", FIX_COMPOSE));
            } else if (ufw.lets(l.port())) {
                f.add(new Finding(host, "listener " + what, Verdict.EXPOSED, "listens" + by + "; " + ufw.words(l.port()),
                        FIX_UFW + "; and bind the service to 127.0.0.1 behind the vault (vault_services)"));
            } else {
                f.add(new Finding(host, "listener " + what, Verdict.INFO, "listens" + by + "; " + ufw.words(l.port()) + " stops it",
                        "bind the service to 127.0.0.1 behind the vault (vault_services)"));
            }
        }
    }

    /** The binding of a running container that docker-proxy listener {@code l} serves, or null. */
    private static Binding publishing(List<Container> containers, Listener l) {
        for (Container c : containers) {
            for (Binding b : published(c)) {
                if (b.hostNumber() == l.port() && b.hostIp().contains(":") == l.address().contains(":")) return b;
            }
        }
        return null;
    }

    private static void dnat(String host, AuditOutput out, Set<Integer> aiPorts, UfwStatus ufw, DockerReach reach,
                             List<Container> containers, ComposeFiles files, List<Finding> f) {
        AuditOutput.Section s = out.section("dnat");
        if (!s.ran()) {
            String p = s.problem();
            if (p != null && p.contains("No chain")) f.add(Finding.of(host, "dnat", Verdict.INFO, "no DOCKER chain in the nat table"));
            // iptables-nft (Debian 12's 1.8.9) says a missing chain is "incompatible", as it says of one nft made itself
            else if (p != null && p.contains("chain `DOCKER' in table `nat' is incompatible"))
                f.add(Finding.of(host, "dnat", Verdict.INFO, "no DOCKER chain in the nat table that iptables can list (iptables-nft: missing, or made by nft itself)"));
            else f.add(Finding.of(host, "dnat", Verdict.INFO, p));
            return;
        }
        for (DnatRule r : DnatRule.parse(s.lines())) {
            if (!r.publik()) continue;
            Binding as = new Binding(r.containerPort() + "/tcp", r.destination() == null ? "" : r.destination(), String.valueOf(r.port()));
            Verdict v = aiPorts.contains(r.port()) && reach.reachable(as) ? Verdict.EXPOSED : Verdict.INFO;
            String ufwSays = reach.guarded() ? reach.words(as)
                    : ufw.active() && !ufw.lets(r.port()) ? "ufw status shows no ALLOW for " + r.port() + ", yet Docker forwards it"
                    : ufw.words(r.port());
            Container owner = null;
            Binding pub = null;
            for (Container c : containers) {
                for (Binding b : published(c)) if (b.hostNumber() == r.port()) { owner = c; pub = b; }
            }
            String fix = owner == null ? FIX_COMPOSE + "; or, for a docker run container, " + FIX_RUN
                    : containerFix(owner, pub, files);
            f.add(new Finding(host, "dnat " + r.port(), v, "iptables nat DOCKER: " + r.rule() + "; " + ufwSays, fix));
        }
    }

    /** Every port entry of the compose files read that publishes outside loopback, per service; an AI port (or one Docker picks) is EXPOSED. */
    private static void compose(String host, ComposeFiles files, Set<Integer> aiPorts, List<Finding> f) {
        for (ComposeFile file : files.files()) {
            String check = "compose " + file.path();
            ComposeDocument doc;
            try {
                doc = ComposeDocument.parse(file.path(), file.text());
            } catch (PortSyntaxException e) {
                f.add(Finding.of(host, check, Verdict.INFO, e.getMessage()));
                continue;
            }
            Interpolation vars = new Interpolation(file.env());
            for (PortEntry e : doc.entries()) {
                PortSpec p;
                try {
                    p = e.effective(vars);
                } catch (PortSyntaxException ex) {
                    String why = ex instanceof TooDeepException ? "moat cannot tell which port it publishes: " : "is not a port Compose would publish: ";
                    f.add(Finding.of(host, check, Verdict.INFO, "services " + String.join(", ", e.services()) + ": \"" + e.written()
                            + "\" (line " + e.line() + ") " + why + ex.getMessage()));
                    continue;
                }
                if (p.loopback()) continue;
                boolean ai = p.host() == null || aiPorts.stream().anyMatch(port -> p.host().overlaps(new PortRange(port, port)));
                String on = p.hostIp() == null ? "every address" : p.hostIp();
                for (String service : e.services()) {
                    f.add(new Finding(host, check, ai ? Verdict.EXPOSED : Verdict.INFO,
                            "service " + service + " publishes \"" + e.written() + "\" on " + on + " (line " + e.line() + ")", FIX_COMPOSE));
                }
            }
        }
    }

    private static void envSettings(String host, AuditOutput out, UfwStatus ufw, List<Finding> f) {
        for (String l : out.section("env-files").lines()) {
            // file:line:content
            String[] p = l.split(":", 3);
            if (p.length < 3) continue;
            Matcher m = Pattern.compile("(OLLAMA_HOST|GRADIO_SERVER_NAME)\\s*=\\s*\"?'?([^\"'\\s]*)").matcher(p[2]);
            if (!m.find() || !allInterfaces(m.group(2))) continue;
            int port = m.group(1).equals("OLLAMA_HOST") ? portOf(m.group(2), 11434) : 7860;
            f.add(setting(host, p[0] + ":" + p[1], m.group(1), m.group(2), port, ufw, "in " + p[0]));
        }
        for (String l : out.section("proc-env").lines()) {
            // /proc/PID/environ:NAME=value
            Matcher m = Pattern.compile("^/proc/(\\d+)/environ:(OLLAMA_HOST|GRADIO_SERVER_NAME)=(.*)$").matcher(l);
            if (!m.matches() || !allInterfaces(m.group(3))) continue;
            int port = m.group(2).equals("OLLAMA_HOST") ? portOf(m.group(3), 11434) : 7860;
            f.add(setting(host, "process " + m.group(1), m.group(2), m.group(3), port, ufw, "in the unit or script that starts process " + m.group(1)));
        }
    }

    private static Finding setting(String host, String where, String var, String value, int port, UfwStatus ufw, String in) {
        boolean open = ufw.lets(port);
        String fix = "set " + var + "=127.0.0.1" + (var.equals("OLLAMA_HOST") ? ":11434" : "") + " " + in
                + " and restart it; the vault proxies it (vault_services)" + (open ? "; and the " + FIX_UFW : "");
        return new Finding(host, "env " + where, open ? Verdict.EXPOSED : Verdict.INFO,
                var + "=" + value + " listens on every address; " + ufw.words(port) + (open ? "" : " stops it"), fix);
    }

    private static void flags(String host, AuditOutput out, Set<Integer> aiPorts, UfwStatus ufw, List<Finding> f) {
        for (String l : out.section("ps").lines()) {
            String[] p = l.split("\\|", 3);
            if (p.length < 3) continue;
            String args = p[2];
            Matcher m = LISTEN.matcher(args);
            if (!m.find()) continue;
            String flag = m.group(1);
            String value = m.group(2);
            boolean all = flag.equals("listen") ? value == null || allInterfaces(value) : value != null && allInterfaces(value);
            if (!all) continue;
            Matcher pm = PORT_ARG.matcher(args);
            int port = pm.find() ? Integer.parseInt(pm.group(1)) : defaultPort(args);
            String shown = args.length() > 160 ? args.substring(0, 160) + "..." : args;
            String said = "--" + flag + (value == null ? "" : " " + value);
            if (p[1].contains("docker") || p[1].contains("containerd") || p[1].contains("kubepods")) {
                f.add(Finding.of(host, "process " + p[0], Verdict.INFO, "runs in a container with " + said + ": its published ports decide (see container findings): " + shown));
                continue;
            }
            // --listen is ComfyUI's and the A1111 web UI's flag; --host/--server-name count on an AI port or for an AI program.
            boolean ai = flag.equals("listen") || aiPorts.contains(port) || AI_PROGRAM.matcher(args).find();
            boolean open = ufw.lets(port) && ai;
            f.add(new Finding(host, "process " + p[0], open ? Verdict.EXPOSED : Verdict.INFO,
                    "started with " + said + " (every address, port " + port + "): " + shown + "; " + ufw.words(port)
                            + (ufw.lets(port) ? "" : " stops it"),
                    "start it with --" + flag + " 127.0.0.1 (its unit or start script); the vault proxies it (vault_services)"
                            + (open ? "; and the " + FIX_UFW : "")));
        }
    }

    private static int defaultPort(String args) {
        String a = args.toLowerCase(java.util.Locale.ROOT);
        if (a.contains("comfy") || a.contains("main.py")) return 8188;
        if (a.contains("vllm")) return 8000;
        return 7860;
    }

    private static String containerFix(Container c, Binding b, ComposeFiles files) {
        if (!c.compose()) {
            return FIX_RUN + " (container " + c.name() + ": -p 127.0.0.1:" + b.hostPort() + ":" + b.containerPort().replace("/tcp", "") + ")";
        }
        Set<String> read = new LinkedHashSet<>();
        for (ComposeFile file : files.files()) {
            read.add(file.path());
            read.add(file.realPath());
        }
        for (String file : c.configFiles()) {
            if (!read.contains(file)) return FIX_COMPOSE + " (its compose file " + file + " was not found on the host: give it in files:)";
        }
        return FIX_COMPOSE;
    }

    /** Whether a bind value means every address: 0.0.0.0, ::, [::], *, an empty host, or a host that is not loopback. */
    public static boolean allInterfaces(String value) {
        String v = value.trim().replaceFirst("^[a-z]+://", "");
        if (v.isEmpty()) return false;
        for (String part : v.split(",")) {
            String h = part.trim();
            if (h.startsWith("[")) h = h.substring(1, Math.max(1, h.indexOf(']')));
            else if (h.chars().filter(c -> c == ':').count() == 1) h = h.substring(0, h.indexOf(':'));
            if (h.isEmpty() || !Ip.isLoopbackHost(h)) return true;
        }
        return false;
    }

    private static int portOf(String value, int dflt) {
        Matcher m = Pattern.compile(":(\\d+)/?$").matcher(value.trim());
        return m.find() ? Integer.parseInt(m.group(1)) : dflt;
    }
}
