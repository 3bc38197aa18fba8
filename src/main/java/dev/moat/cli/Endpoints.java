package dev.moat.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.MoatException;
import dev.moat.module.Args;
import dev.moat.playbook.VarScope;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.template.TemplateException;
import dev.moat.transport.Endpoint;
import dev.moat.transport.ssh.ProxyJumps;

/**
 * A host's connection from its inventory variables, as Ansible reads them: {@code ansible_host},
 * {@code ansible_port}, {@code ansible_user}, {@code ansible_ssh_private_key_file},
 * {@code ansible_become_user}, and a bastion from {@code moat_jump} or {@code -o ProxyJump=} /
 * {@code -J} in {@code ansible_ssh_common_args} / {@code ansible_ssh_extra_args}, or the
 * {@code -o ProxyCommand=} there (a local command that carries the connection). What the
 * inventory leaves unsaid, ~/.ssh/config fills in later.
 */
final class Endpoints {
    private Endpoints() {}

    /** The variables a connection reads, templated as Ansible templates them. */
    static final List<String> CONNECTION_VARS = List.of("ansible_host", "ansible_port", "ansible_user", "ansible_ssh_private_key_file",
            "ansible_private_key_file", "ansible_become", "ansible_become_user", "ansible_ssh_common_args", "ansible_ssh_extra_args", "moat_jump");

    static Endpoint of(String host, Map<String, Object> raw) {
        Map<String, Object> vars = rendered(host, raw);
        String address = str(vars, "ansible_host", host);
        int port = 0;
        Object p = vars.get("ansible_port");
        if (p != null) {
            try {
                port = Integer.parseInt(String.valueOf(p).trim());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw MoatException.invalid("host " + host + ": ansible_port is '" + p + "', not a port number (1-65535)");
            }
        }
        String key = str(vars, "ansible_ssh_private_key_file", str(vars, "ansible_private_key_file", null));
        if (key != null && key.startsWith("~/")) key = System.getProperty("user.home") + key.substring(1);
        String becomeUser = str(vars, "ansible_become_user", null);
        List<Endpoint> jump;
        String proxyCommand = null;
        String moatJump = str(vars, "moat_jump", null);
        String sshArgs = str(vars, "ansible_ssh_common_args", "") + " " + str(vars, "ansible_ssh_extra_args", "");
        if (moatJump != null) {
            jump = ProxyJumps.parse(moatJump);
        } else {
            jump = ProxyJumps.fromSshArgs(sshArgs);
            proxyCommand = ProxyJumps.commandFromSshArgs(sshArgs);
        }
        return new Endpoint(host, address, port, str(vars, "ansible_user", null), key, becomeUser, jump, proxyCommand);
    }

    /**
     * The known_hosts files that hosts name with {@code -o UserKnownHostsFile=F} in their
     * {@code ansible_ssh_common_args}/{@code ansible_ssh_extra_args}, as OpenSSH would use them.
     */
    static java.util.Set<java.nio.file.Path> knownHostsFiles(Map<String, Object> vars) {
        java.util.Set<java.nio.file.Path> out = new java.util.LinkedHashSet<>();
        String args = str(vars, "ansible_ssh_common_args", "") + " " + str(vars, "ansible_ssh_extra_args", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("UserKnownHostsFile[= ]\\s*(\\S+)").matcher(args);
        while (m.find()) {
            for (String f : m.group(1).replace("\"", "").replace("'", "").split("\\s+")) {
                if (f.isEmpty() || f.equals("/dev/null")) continue;
                out.add(java.nio.file.Path.of(f.startsWith("~/") ? System.getProperty("user.home") + f.substring(1) : f));
            }
        }
        return out;
    }

    /**
     * {@code vars} with the {@link #CONNECTION_VARS} rendered with the host's own variables
     * ({@code ansible_host: "{{ inventory_hostname }}.example"}, {@code ansible_user: "{{ admin_user }}"}),
     * as Ansible does before it connects; a template that cannot be rendered is the inventory's error
     * (exit 65) naming host and variable. The connection is made once per run, before any play, so
     * play variables do not reach it; extra variables do when the caller puts them in {@code vars}.
     */
    static Map<String, Object> rendered(String host, Map<String, Object> vars) {
        Map<String, Object> out = null;
        VarScope scope = null;
        for (String name : CONNECTION_VARS) {
            Object v = vars.get(name);
            if (!Templar.containsTemplate(v)) continue;
            if (out == null) {
                out = new LinkedHashMap<>(vars);
                scope = VarScope.of(new Templar(Path.of("").toAbsolutePath(), new Secrets()), vars, null, Map.of());
            }
            try {
                out.put(name, scope.get(name));
            } catch (TemplateException e) {
                throw MoatException.invalid("host " + host + ": " + name + ": cannot render '" + v + "': " + e.getMessage());
            }
        }
        return out == null ? vars : out;
    }

    /** Refuses, naming host and option, the ssh arguments of {@code raw} that moat cannot honour (exit 65). */
    static void checkSshArgs(String host, Map<String, Object> raw, boolean acceptNewHostKeys) {
        Map<String, Object> vars = rendered(host, raw);
        for (String name : new String[] {"ansible_ssh_common_args", "ansible_ssh_extra_args"}) {
            java.util.List<String> problems = dev.moat.transport.ssh.SshArgs.problems(str(vars, name, ""), acceptNewHostKeys);
            if (!problems.isEmpty()) throw MoatException.invalid("host " + host + ": " + name + ": " + problems.get(0));
        }
    }

    /**
     * The sudo password {@code vars} give the host, as Ansible reads it: {@code ansible_become_password}
     * (or {@code ansible_become_pass}), rendered, so {@code "{{ vault_sudo_password }}"} from a
     * vaulted file works; null when neither is set. The password becomes a secret of the run.
     */
    static char[] becomePassword(String host, Map<String, Object> vars, Map<String, Object> extra, Templar templar) {
        String name = extra.containsKey("ansible_become_password") || vars.containsKey("ansible_become_password")
                ? "ansible_become_password" : "ansible_become_pass";
        VarScope scope = VarScope.of(templar, vars, null, extra);
        if (!scope.has(name) || scope.raw(name) == null) return null;
        Object v;
        try {
            v = scope.get(name);
        } catch (RuntimeException e) {
            throw MoatException.invalid("host " + host + ": " + name + ": " + e.getMessage());
        }
        String pw = v == null ? "" : String.valueOf(v);
        if (pw.isEmpty()) return null;
        templar.secrets().add(pw);
        return pw.toCharArray();
    }

    static boolean become(Map<String, Object> vars) {
        Object b = vars.get("ansible_become");
        return b != null && Boolean.TRUE.equals(Args.toBool(b));
    }

    private static String str(Map<String, Object> vars, String name, String fallback) {
        Object v = vars.get(name);
        return v == null || String.valueOf(v).isBlank() ? fallback : String.valueOf(v);
    }
}
