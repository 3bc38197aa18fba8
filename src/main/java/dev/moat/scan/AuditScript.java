package dev.moat.scan;

import java.util.List;

import dev.moat.compose.ComposeSearch;
import dev.moat.compose.DockerFiles;
import dev.moat.facts.FilterTable;
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
     * Defines {@code moat_ipt4} ({@link FilterTable}: the batch's one {@code iptables -w 5 -S}) and
     * {@code ipt}, the iptables the script's {@code PATH} finds, named {@code /usr/sbin/iptables} when
     * that is the one (nothing executable of that name in {@code /usr/local/sbin} or {@code /usr/local/bin}
     * before it), so the listing is the one {@code UfwLive} shares; any other stays {@code iptables},
     * listed by itself.
     */
    static final String IPTABLES = String.join("\n",
            FilterTable.FUNCTION,
            "ipt=iptables; [ -x /usr/local/sbin/iptables ] || [ -x /usr/local/bin/iptables ] || [ ! -x /usr/sbin/iptables ] || ipt=/usr/sbin/iptables");

    /**
     * The docker-user section: what {@code iptables -w 5 -S DOCKER-USER} prints, taken from the filter
     * table's full listing ({@code moat_ipt4}) without another exec. Exact: {@code -S CHAIN} prints the
     * chain's {@code -N CHAIN} line and then its {@code -A CHAIN} lines in order, the same lines the full
     * listing prints for it (both backends print every chain with the same code). A line of the
     * listing is a rule of its own unless a quoted argument ({@code --comment "..."}: iptables quotes
     * it and escapes {@code " ' \} in it with a backslash, but prints a newline as it is) went over a
     * line break: so a line with a backslash, or with an odd number of {@code "}, or not starting
     * {@code -P}, {@code -N} or {@code -A}, makes the read fall back, and no comment can fake a
     * DOCKER-USER rule. ufw's {@code --log-prefix "[UFW BLOCK] "} (two quotes) does not. When the
     * listing cannot say it exactly it runs {@code iptables -w 5 -S DOCKER-USER} as before: the listing
     * failed (not root, no kernel support), a line is as above, or the chain is missing, whose error
     * differs by version and backend ("No
     * chain/target/match by that name." from the legacy one; iptables-nft 1.8.9: "chain `DOCKER-USER'
     * in table `filter' is incompatible, use 'nft' tool.").
     */
    static final String DOCKER_USER = String.join("\n",
            "if have iptables; then",
            "  du=; dh=; dx=",
            "  if moat_ipt4 $ipt; then",
            "    dn='",
            "'; di=$IFS; IFS=$dn; set -f",
            "    for l in $o; do",
            "      case $l in *\\\\*) dx=1;; *'\"'*) q=$l; k=; while :; do case $q in *'\"'*) q=${q#*'\"'}; if [ -z \"$k\" ]; then k=1; else k=; fi;; *) break;; esac; done; [ -z \"$k\" ] || dx=1;; esac",
            "      case $l in '-N DOCKER-USER') dh=1; du=\"$du$l$dn\";; '-A DOCKER-USER '*) du=\"$du$l$dn\";; '-P '*|'-N '*|'-A '*) ;; *) dx=1;; esac",
            "    done",
            "    IFS=$di; set +f",
            "  else dx=1; fi",
            "  if [ -n \"$dh\" ] && [ -z \"$dx\" ]; then printf '%s' \"$du\"",
            "  else out=$(iptables -w 5 -S DOCKER-USER 2>&1) && printf '%s\\n' \"$out\" || echo \"@@error $(first \"$out\")\"; fi",
            "else echo '@@missing iptables'; fi");

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
            "  if [ \"$u\" = 0 ] && have iptables && moat_ipt4 $ipt; then",
            "    a=active; for d in input output forward; do case \"$o",
            "\" in *\"-N ufw-user-$d",
            "\"*) ;; *) a=inactive;; esac; done",
            "    echo \"Status: $a\"",
            "    if [ $a = active ]; then v=; if [ -r /etc/default/ufw ]; then while IFS= read -r l || [ -n \"$l\" ]; do case $l in IPV6=*) v=${l#IPV6=};; esac; done </etc/default/ufw; fi",
            "      f=/etc/ufw/user.rules; case $v in [Yy][Ee][Ss]|\\\"[Yy][Ee][Ss]\\\") f=\"$f /etc/ufw/user6.rules\";; esac",
            "      grep -h '^" + UfwStatus.TUPLE + " ' $f 2>/dev/null; fi",
            "  else out=$(ufw status 2>&1) && printf '%s\\n' \"$out\" || echo \"@@error $(first \"$out\")\"; fi",
            "fi");

    /**
     * The ps section: {@code PID|CGROUP|ARGS} for at most 100 processes whose arguments name a
     * listen address. It was {@code ps | grep -E -- '--listen|--host|--server-name' | grep -v -e
     * '@@section' -e 'grep -E' | head -n 100} and {@code tr '\n' ' ' </proc/PID/cgroup | head -c
     * 300} per process; the shell now does the same with {@code case} and {@code read}, exactly:
     * the patterns are fixed strings that cannot span the PID and its arguments (digits then
     * blanks), the greps' own processes no longer exist to be dropped, each cgroup line gets its
     * newline turned into a space (a last line without one stays as it is) and the text is cut
     * after 300 bytes ({@code LC_ALL=C}: the shell counts bytes).
     */
    static String ps(String proc) {
        return String.join("\n",
                "n=0; ps -ww -eo pid=,args= 2>/dev/null | while read -r pid args; do",
                "  case \"$args\" in *--listen*|*--host*|*--server-name*) ;; *) continue;; esac",
                "  case \"$args\" in *@@section*|*'grep -E'*) continue;; esac",
                "  n=$((n + 1)); [ $n -le 100 ] || break",
                "  c=; l=; { while IFS= read -r l; do c=\"$c$l \"; done; c=\"$c$l\"; } 2>/dev/null <" + proc + "/\"$pid\"/cgroup",
                "  if [ ${#c} -gt 300 ]; then l=${c#" + "?".repeat(300) + "}; c=${c%\"$l\"}; fi",
                "  echo \"$pid|$c|$args\"",
                "done");
    }

    /** The addr6 section: {@code /proc/net/if_inet6} as {@code cat} printed it, by the shell's read. */
    static String addr6(String proc) {
        return "{ while IFS= read -r l; do printf '%s\\n' \"$l\"; done; [ -z \"$l\" ] || printf '%s' \"$l\"; } 2>/dev/null <" + proc + "/net/if_inet6"
                + " || echo '@@missing /proc/net/if_inet6'";
    }

    /** The script; {@code composeSearch} says where compose files are searched. */
    public static String script(ComposeSearch composeSearch) {
        return String.join("\n",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; LC_ALL=C; export PATH LC_ALL",
                "have() { command -v \"$1\" >/dev/null 2>&1; }",
                "sec() { echo \"@@section $1\"; }",
                "first() { printf '%s\\n' \"$1\" | head -n 1; }",
                "echo '" + MAGIC + "'",
                // ss stays: /proc/net/tcp6 does not say whether a socket on :: is IPv6-only, which ss
                // prints as [::]:PORT and a dual-stack one as *:PORT (read as 0.0.0.0), nor can the
                // shell tell without it.
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
                IPTABLES,
                DOCKER_USER,
                "sec ufw",
                UFW,
                "sec compose",
                compose(composeSearch),
                "sec env-files",
                envFiles(UNIT_DIRS, List.of("/etc/default", "/etc/environment")),
                "sec proc-env",
                procEnv("/proc"),
                "sec ps",
                ps("/proc"),
                // The host's own global IPv6 addresses: the outside scan probes them too.
                "sec addr6",
                addr6("/proc"),
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
     * The proc-env section: {@code /proc/PID/environ:NAME=value} for every process started with
     * {@code OLLAMA_HOST} or {@code GRADIO_SERVER_NAME}. A value's own newlines become {@code \036},
     * so no value can start a line of its own (and fake a section, blanking the real ones).
     */
    static String procEnv(String proc) {
        String grep = "grep -sazE '^(OLLAMA_HOST|GRADIO_SERVER_NAME)=' " + proc + "/[0-9]*/environ 2>/dev/null";
        String tr = "tr '\\n\\000' '\\036\\n'", head = " | head -n 200";
        // Inside a batched read grep's output goes to the batch's directory first: nearly always
        // empty, and then tr and head (which would print nothing) are not started.
        return "if [ -n \"${moat_memo:-}\" ] && [ -d \"$moat_memo\" ]; then " + grep + " >\"$moat_memo/audit-proc-env\"; "
                + "[ ! -s \"$moat_memo/audit-proc-env\" ] || " + tr + " <\"$moat_memo/audit-proc-env\"" + head + "\n"
                + "else " + grep + " | " + tr + head + "; fi";
    }

    /**
     * The env-files section: {@code file:line:text} for every {@code OLLAMA_HOST} or
     * {@code GRADIO_SERVER_NAME} assignment in the units and drop-ins under {@code unitDirs} and in
     * {@code otherFiles}, and in every file the units name with {@code EnvironmentFile=} (such as
     * {@code /etc/ollama/env}), wherever it lives. Duplicates (a file both listed and named) once.
     */
    static String envFiles(List<String> unitDirs, List<String> otherFiles) {
        UnitEnvScan scan = new UnitEnvScan(unitDirs, otherFiles, List.of("OLLAMA_HOST", "GRADIO_SERVER_NAME"));
        String assign = scan.assign();
        // Inside a batched read, from the unit search shared with listen_local (UnitEnvScan): one
        // grep -IsnHE over the files the memo lists prints what grep -rIsnE printed for them (the same
        // files in the same order, read with the same options) followed by what the per-file loop
        // printed for the named files (the memo keeps those that match, in the loop's order). A
        // listed path that is not a file (a name with a newline reads as two lines) falls back to the
        // recursive grep. Nothing found: no grep, awk or head at all (they would print nothing).
        return String.join("\n",
                "if " + scan.fill() + "; then",
                "  set --; fb=; while IFS= read -r f; do [ -f \"$f\" ] || fb=1; set -- \"$@\" \"$f\"; done <\"$ue.u\"",
                "  [ -z \"$fb\" ] || set --",
                "  while IFS= read -r f; do set -- \"$@\" \"$f\"; done <\"$ue.m\"",
                "  if [ -n \"$fb\" ]; then { grep -rIsnE " + assign + scan.units() + scan.others() + " 2>/dev/null; [ $# -eq 0 ] || grep -IsnHE " + assign
                        + " -- \"$@\" 2>/dev/null; } | awk '!seen[$0]++' | head -n 200",
                "  elif [ $# -gt 0 ]; then grep -IsnHE " + assign + " -- \"$@\" 2>/dev/null | awk '!seen[$0]++' | head -n 200; fi",
                "else",
                envFilesPlain(scan),
                "fi");
    }

    /** The env-files section without a memo: the script as it was before the memo (the reference of its tests). */
    static String envFilesPlain(UnitEnvScan scan) {
        String assign = scan.assign();
        return String.join("\n",
                "{ grep -rIsnE " + assign + scan.units() + scan.others() + " 2>/dev/null",
                // EnvironmentFile=-/etc/ollama/env: "-" means optional; systemd specifiers (%h) cannot be resolved here.
                "  " + scan.namedFiles() + " |",
                "  while IFS= read -r e; do case \"$e\" in /*%*) ;; /*) [ -f \"$e\" ] && grep -IsnHE " + assign + " -- \"$e\" 2>/dev/null;; esac; done",
                "} | awk '!seen[$0]++' | head -n 200");
    }
}
