package dev.moat.scan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.compose.Interpolation;

/**
 * Turns one host's {@link AuditOutput} into findings, each naming the harden-inference.yml task or
 * variable that closes it: AI-port listeners on a non-loopback address; containers publishing on
 * one; Docker's DNAT rules that UFW's status does not show; compose files publishing on one;
 * {@code OLLAMA_HOST}/{@code GRADIO_SERVER_NAME} set to all interfaces in units, their drop-ins,
 * the files their {@code EnvironmentFile=} names, or running processes; ComfyUI/Gradio/uvicorn started with {@code --listen}/{@code --host 0.0.0.0}.
 * A port UFW does not let in is only INFO for a host process (UFW covers it), never for Docker
 * (its DNAT runs before UFW). Pure: no I/O.
 */
public final class InsideAudit {
    static final String FIX_COMPOSE = "compose_ports (compose_search / compose_bind): publish on 127.0.0.1 and recreate";
    static final String FIX_UFW = "ufw baseline (deny incoming; allow ssh_port, 80, 443)";
    private static final Pattern LISTEN = Pattern.compile("(?:^|\\s)--(listen|host|server-name)(?:[ =]([^\\s-][^\\s]*))?(?=\\s|$)");
    private static final Pattern AI_PROGRAM = Pattern.compile("(?i)comfy|gradio|vllm|ollama|webui|jupyter|tensorboard|sglang|llama|text-generation|lmdeploy|tgi");
    private static final Pattern PORT_ARG = Pattern.compile("(?:^|\\s)--(?:port|server-port)[ =](\\d+)");

    private InsideAudit() {}

    /**
     * @param aiPorts the AI ports (a listener or publish on one is EXPOSED; on another port INFO)
     * @param composeSearch the compose_search directories the script searched
     */
    public static List<Finding> findings(String host, AuditOutput out, Set<Integer> aiPorts, List<String> composeSearch) {
        List<Finding> f = new ArrayList<>();
        UfwStatus ufw = UfwStatus.parse(out.section("ufw"));
        if (!out.section("ufw").ran()) f.add(Finding.of(host, "ufw", Verdict.INFO, out.section("ufw").problem()));
        else f.add(Finding.of(host, "ufw", Verdict.INFO, ufw.active() ? "active, " + ufw.allowRules().size() + " ALLOW rule(s)" : "inactive"));
        listeners(host, out, aiPorts, ufw, f);
        List<Container> containers = out.section("docker").ran() ? Container.parse(out.section("docker").lines()) : List.of();
        if (!out.section("docker").ran()) f.add(Finding.of(host, "docker", Verdict.INFO, out.section("docker").problem()));
        for (Container c : containers) {
            for (Container.Publish p : c.publishes()) {
                if (Loopback.is(p.hostIp())) continue;
                Verdict v = aiPorts.contains(p.hostPort()) ? Verdict.EXPOSED : Verdict.INFO;
                String where = p.hostIp().isEmpty() ? "every address" : p.hostIp();
                f.add(new Finding(host, "container " + c.name(), v, "publishes " + p.containerPort() + " on " + where + ":" + p.hostPort()
                        + (c.fromCompose() ? " (compose service " + c.service() + " of " + String.join(", ", c.composeFiles()) + ")" : ""),
                        containerFix(c, p, composeSearch)));
            }
        }
        dnat(host, out, aiPorts, ufw, containers, composeSearch, f);
        compose(host, out, aiPorts, f);
        envSettings(host, out, ufw, f);
        flags(host, out, aiPorts, ufw, f);
        return f;
    }

    private static void listeners(String host, AuditOutput out, Set<Integer> aiPorts, UfwStatus ufw, List<Finding> f) {
        AuditOutput.Section ss = out.section("ss");
        List<Listener> ls = ss.ran() ? Listener.parseSs(ss.lines()) : Listener.parseProc(ss.lines());
        if (!ss.ran()) f.add(Finding.of(host, "listeners", Verdict.INFO, ss.problem() + "; read /proc/net/tcp instead (no process names)"));
        Set<String> seen = new LinkedHashSet<>();
        for (Listener l : ls) {
            if (!aiPorts.contains(l.port()) || Loopback.is(l.address()) || !seen.add(l.address() + ":" + l.port())) continue;
            boolean docker = l.process() != null && l.process().startsWith("docker-proxy");
            String what = (l.address().contains(":") ? "[" + l.address() + "]" : l.address()) + ":" + l.port();
            String by = l.process() == null ? "" : " by " + l.process();
            if (docker) {
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

    private static void dnat(String host, AuditOutput out, Set<Integer> aiPorts, UfwStatus ufw, List<Container> containers,
                             List<String> composeSearch, List<Finding> f) {
        AuditOutput.Section s = out.section("dnat");
        if (!s.ran()) {
            String p = s.problem();
            if (p != null && p.contains("No chain")) f.add(Finding.of(host, "dnat", Verdict.INFO, "no DOCKER chain in the nat table"));
            else f.add(Finding.of(host, "dnat", Verdict.INFO, p));
            return;
        }
        for (DnatRule r : DnatRule.parse(s.lines())) {
            if (!r.publik()) continue;
            Verdict v = aiPorts.contains(r.port()) ? Verdict.EXPOSED : Verdict.INFO;
            String ufwSays = ufw.active() && !ufw.lets(r.port()) ? "ufw status shows no ALLOW for " + r.port() + ", yet Docker forwards it"
                    : ufw.words(r.port());
            Container owner = null;
            Container.Publish pub = null;
            for (Container c : containers) {
                for (Container.Publish p : c.publishes()) if (p.hostPort() == r.port() && !Loopback.is(p.hostIp())) { owner = c; pub = p; }
            }
            String fix = owner == null ? FIX_COMPOSE + " (if a compose file publishes it; else recreate the container with -p 127.0.0.1:...)"
                    : containerFix(owner, pub, composeSearch);
            f.add(new Finding(host, "dnat " + r.port(), v, "iptables nat DOCKER: " + r.rule() + "; " + ufwSays, fix));
        }
    }

    private static void compose(String host, AuditOutput out, Set<Integer> aiPorts, List<Finding> f) {
        Map<String, String> envs = out.composeEnvs();
        for (Map.Entry<String, String> e : out.composeFiles().entrySet()) {
            List<ComposePublish> pubs;
            try {
                pubs = ComposePublish.parse(e.getKey(), e.getValue(), Interpolation.parseEnvFile(envs.get(e.getKey())));
            } catch (IllegalArgumentException ex) {
                f.add(Finding.of(host, "compose " + e.getKey(), Verdict.INFO, "not readable as YAML: " + ex.getMessage()));
                continue;
            }
            for (ComposePublish p : pubs) {
                if (!p.publik()) continue;
                boolean ai = p.hostPortLo() < 0 || aiPorts.stream().anyMatch(p::covers);
                String on = p.hostIp() == null ? "every address" : p.hostIp();
                f.add(new Finding(host, "compose " + e.getKey(), ai ? Verdict.EXPOSED : Verdict.INFO,
                        "service " + p.service() + " publishes \"" + p.spec() + "\" on " + on + " (line " + p.line() + ")", FIX_COMPOSE));
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

    private static String containerFix(Container c, Container.Publish p, List<String> composeSearch) {
        if (!c.fromCompose()) {
            return "not fixable by moat: container " + c.name() + " was started with docker run -p; recreate it with -p 127.0.0.1:"
                    + p.hostPort() + ":" + p.containerPort().replace("/tcp", "");
        }
        for (String file : c.composeFiles()) {
            boolean searched = composeSearch.stream().anyMatch(d -> file.startsWith(d.endsWith("/") ? d : d + "/")
                    && file.substring(d.length()).chars().filter(ch -> ch == '/').count() <= AuditScript.COMPOSE_DEPTH);
            if (!searched) {
                String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : file;
                return FIX_COMPOSE + " (it reads " + file + " through the container's labels; add " + dir
                        + " to compose_search for moat scan to read it too)";
            }
        }
        return FIX_COMPOSE;
    }

    /** Whether a bind value means every address: 0.0.0.0, ::, [::], *, an empty host, or a host that is not loopback. */
    static boolean allInterfaces(String value) {
        String v = value.trim().replaceFirst("^[a-z]+://", "");
        if (v.isEmpty()) return false;
        for (String part : v.split(",")) {
            String h = part.trim();
            if (h.startsWith("[")) h = h.substring(1, Math.max(1, h.indexOf(']')));
            else if (h.chars().filter(c -> c == ':').count() == 1) h = h.substring(0, h.indexOf(':'));
            if (h.isEmpty() || !Loopback.is(h)) return true;
        }
        return false;
    }

    private static int portOf(String value, int dflt) {
        Matcher m = Pattern.compile(":(\\d+)/?$").matcher(value.trim());
        return m.find() ? Integer.parseInt(m.group(1)) : dflt;
    }
}
