package dev.moat.scan;

import java.util.List;

import dev.moat.compose.ComposeSearch;
import dev.moat.compose.DockerFiles;
import dev.moat.transport.Sh;

/**
 * The inside audit's one read-only shell script, run once per host over SSH. It prints sections
 * ({@code @@section NAME}) that {@link AuditOutput} parses; a tool that is missing or fails prints
 * {@code @@missing TOOL} or {@code @@error TEXT} in its section instead, and the script goes on. It
 * writes nothing and changes nothing: ss, docker ps/inspect, iptables -S (nat DOCKER, DOCKER-USER), ufw status, find, grep, ps,
 * /proc/net/if_inet6.
 * Containers are {@code docker inspect}'s JSON, read as {@code compose_ports} reads it; compose files
 * are found by the same {@link ComposeSearch} and come with the {@code .env} beside them, and the {@code OLLAMA_HOST} search follows the
 * units' {@code EnvironmentFile=} to wherever those files live.
 * Compose file contents are prefixed with {@code |} line by line so no file can fake a section.
 */
public final class AuditScript {
    /** First line of the output: the format version the parser expects. */
    public static final String MAGIC = "@@moat-audit 1";

    private AuditScript() {}

    /** Where systemd units and their drop-ins live. */
    public static final List<String> UNIT_DIRS = List.of("/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system");

    /**
     * The ufw section without running ufw (Python: about 0.1 s of CPU): as {@code ufw status}
     * decides, UFW is active when its chains are loaded in the kernel ({@code ufw-user-input},
     * {@code -output}, {@code -forward} in one {@code iptables -S}), and its rules are the
     * {@code ### tuple ###} lines of {@code user.rules} and, with {@code IPV6=yes}, {@code user6.rules}
     * (ufw's own record; {@link UfwStatus} reads them). Not root (the files and iptables need it),
     * or no iptables: {@code ufw status} answers, as before.
     */
    static final String UFW = String.join("\n",
            "if ! have ufw; then echo '@@missing ufw'",
            "else u=; while read -r k v _; do case $k in Uid:) u=$v; break;; esac; done </proc/self/status",
            "  if [ \"$u\" = 0 ] && have iptables && o=$(iptables -w 5 -S 2>&1); then",
            "    a=active; for d in input output forward; do case \"$o",
            "\" in *\"-N ufw-user-$d",
            "\"*) ;; *) a=inactive;; esac; done",
            "    echo \"Status: $a\"",
            "    if [ $a = active ]; then v=; if [ -r /etc/default/ufw ]; then while IFS= read -r l || [ -n \"$l\" ]; do case $l in IPV6=*) v=${l#IPV6=};; esac; done </etc/default/ufw; fi",
            "      f=/etc/ufw/user.rules; case $v in [Yy][Ee][Ss]|\\\"[Yy][Ee][Ss]\\\") f=\"$f /etc/ufw/user6.rules\";; esac",
            "      grep -h '^" + UfwStatus.TUPLE + " ' $f 2>/dev/null; fi",
            "  else out=$(ufw status 2>&1) && printf '%s\\n' \"$out\" || echo \"@@error $(first \"$out\")\"; fi",
            "fi");

    /** The script; {@code composeSearch} says where compose files are searched. */
    public static String script(ComposeSearch composeSearch) {
        return String.join("\n",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; LC_ALL=C; export PATH LC_ALL",
                "have() { command -v \"$1\" >/dev/null 2>&1; }",
                "sec() { echo \"@@section $1\"; }",
                "first() { printf '%s\\n' \"$1\" | head -n 1; }",
                "echo '" + MAGIC + "'",
                "sec ss",
                "if have ss; then out=$(ss -Htlnp 2>&1) && printf '%s\\n' \"$out\" || echo \"@@error $(first \"$out\")\"",
                "else echo '@@missing ss'; grep -hE '^ *[0-9]+: [0-9A-Fa-f]+:[0-9A-Fa-f]+ [0-9A-Fa-f]+:[0-9A-Fa-f]+ 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sed 's/^/proc /'; fi",
                "sec docker",
                DockerFiles.functions(""),
                // dockerd's files (all containers: the audit keeps the running ones), else the CLI.
                "if ! have docker; then echo '@@missing docker'",
                "elif moat_dockerd && out=$(moat_docker_files); then printf '%s\\n' \"$out\"",
                // No daemon the CLI could reach, and its message known (DockerFiles.NO_DAEMON): what its ps printed.
                "elif moat_nodocker && [ -n \"$ndm\" ]; then echo '@@error " + DockerFiles.CANNOT_CONNECT + "'",
                "elif ! ids=$(docker ps -q 2>&1); then echo \"@@error $(first \"$ids\")\"",
                // A container gone between ps and inspect fails inspect, which still prints the others.
                "elif [ -n \"$ids\" ]; then if out=$(docker inspect $ids 2>/dev/null) || [ -n \"$out\" ]; then printf '%s\\n' \"$out\"; "
                        + "else echo '@@error docker inspect failed'; fi; fi",
                "sec dnat",
                "if have iptables; then out=$(iptables -w 5 -t nat -S DOCKER 2>&1) && printf '%s\\n' \"$out\" || echo \"@@error $(first \"$out\")\"",
                "else echo '@@missing iptables'; fi",
                "sec docker-user",
                "if have iptables; then out=$(iptables -w 5 -S DOCKER-USER 2>&1) && printf '%s\\n' \"$out\" || echo \"@@error $(first \"$out\")\"",
                "else echo '@@missing iptables'; fi",
                "sec ufw",
                UFW,
                "sec compose",
                compose(composeSearch),
                "sec env-files",
                envFiles(UNIT_DIRS, List.of("/etc/default", "/etc/environment")),
                "sec proc-env",
                procEnv("/proc"),
                "sec ps",
                "ps -ww -eo pid=,args= 2>/dev/null | grep -E -- '--listen|--host|--server-name' | grep -v -e '@@section' -e 'grep -E' | head -n 100 |",
                "while read -r pid args; do c=$(tr '\\n' ' ' </proc/\"$pid\"/cgroup 2>/dev/null | head -c 300); echo \"$pid|$c|$args\"; done",
                // The host's own global IPv6 addresses: the outside scan probes them too.
                "sec addr6",
                "cat /proc/net/if_inet6 2>/dev/null || echo '@@missing /proc/net/if_inet6'",
                "sec end",
                "exit 0",
                "");
    }

    /**
     * The compose section: each compose file the search finds (at most 100) as
     * {@code @@file PATH<TAB>REALPATH} and its lines, then, when a {@code .env} lies beside it,
     * {@code @@env PATH} and that file's lines (Compose reads it to fill in
     * {@code ${HOST_IP:-127.0.0.1}}), all prefixed with {@code |}. Paths with a tab are skipped.
     */
    static String compose(ComposeSearch search) {
        return String.join("\n",
                "( " + search.script() + " ) | head -n 100 |",
                "while IFS= read -r f; do case \"$f\" in *'\t'*) continue;; esac; [ -f \"$f\" ] || continue;",
                "  printf '@@file %s\\t%s\\n' \"$f\" \"$(readlink -f -- \"$f\" 2>/dev/null || printf '%s' \"$f\")\"; head -c 262144 \"$f\" 2>/dev/null | sed 's/^/|/'; echo;",
                "  e=\"${f%/*}/.env\"; if [ -f \"$e\" ]; then echo \"@@env $e\"; head -c 65536 \"$e\" 2>/dev/null | sed 's/^/|/'; echo; fi; done");
    }

    /**
     * The env-files section: {@code file:line:text} for every {@code OLLAMA_HOST} or
     * {@code GRADIO_SERVER_NAME} assignment in the units and drop-ins under {@code unitDirs} and in
     * {@code otherFiles}, and in every file the units name with {@code EnvironmentFile=} (such as
     * {@code /etc/ollama/env}), wherever it lives. Duplicates (a file both listed and named) once.
     */
    /**
     * The proc-env section: {@code /proc/PID/environ:NAME=value} for every process started with
     * {@code OLLAMA_HOST} or {@code GRADIO_SERVER_NAME}. A value's own newlines become {@code \036},
     * so no value can start a line of its own (and fake a section, blanking the real ones).
     */
    static String procEnv(String proc) {
        return "grep -sazE '^(OLLAMA_HOST|GRADIO_SERVER_NAME)=' " + proc + "/[0-9]*/environ 2>/dev/null"
                + " | tr '\\n\\000' '\\036\\n' | head -n 200";
    }

    static String envFiles(List<String> unitDirs, List<String> otherFiles) {
        StringBuilder units = new StringBuilder();
        for (String d : unitDirs) units.append(' ').append(Sh.q(d));
        StringBuilder other = new StringBuilder();
        for (String d : otherFiles) other.append(' ').append(Sh.q(d));
        String assign = "'^[^#]*(OLLAMA_HOST|GRADIO_SERVER_NAME)[[:space:]]*='";
        return String.join("\n",
                "{ grep -rIsnE " + assign + units + other + " 2>/dev/null",
                // EnvironmentFile=-/etc/ollama/env: "-" means optional; systemd specifiers (%h) cannot be resolved here.
                "  grep -rIshE '^[[:space:]]*EnvironmentFile[[:space:]]*=' " + units.substring(1) + " 2>/dev/null"
                        + " | sed -e 's/^[^=]*=[[:space:]]*//' -e 's/^-//' -e 's/^\"//' -e 's/\"[[:space:]]*$//' -e 's/[[:space:]]*$//' | sort -u | head -n 100 |",
                "  while IFS= read -r e; do case \"$e\" in /*%*) ;; /*) [ -f \"$e\" ] && grep -IsnHE " + assign + " -- \"$e\" 2>/dev/null;; esac; done",
                "} | awk '!seen[$0]++' | head -n 200");
    }
}
