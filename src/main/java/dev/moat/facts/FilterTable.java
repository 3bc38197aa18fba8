package dev.moat.facts;

/**
 * One {@code iptables -w 5 -S} (the filter table, every chain) per batched read, shared by the facts
 * that look at it: UFW's state ({@code UfwLive}) and the exposure audit's {@code ufw} and
 * {@code docker-user} sections. Each listing costs an exec of iptables (2-3 ms of host CPU); the batch
 * ran three.
 *
 * <p>{@link #FUNCTION} defines the shell function {@code moat_ipt4 IPTABLES}: it sets {@code o} to the
 * listing with its errors ({@code $(IPTABLES -w 5 -S 2>&1)}, trailing newlines cut as {@code $(...)}
 * cuts them) and {@code r} to its exit status, and returns that status. Inside a batch
 * ({@code $moat_memo} set by {@code FactBatch}) and for {@code /usr/sbin/iptables} (the one binary
 * both readers name) the first call writes {@code o} and {@code r} to the memo as a shell assignment
 * ({@code o='...'}, single quotes escaped) and later calls source it: no exec, no byte-by-byte read. The
 * memo is written to {@code ipt4.sh} and only then marked complete ({@code ipt4}), so a write that
 * failed (a full disk) is never read back. Run alone ({@code moat_memo} unset) it lists as before.
 *
 * <p>{@code -w 5} (wait up to 5 s for the xtables lock) is what the audit always passed. It matters
 * only with the legacy backend while another program holds the lock: UFW's state then waits for the
 * lock, as the audit did, instead of failing with "Another app is currently holding the xtables lock".
 * The nf_tables backend (Debian 12: {@code iptables -V} says {@code nf_tables}) takes no lock and
 * ignores it.
 *
 * <p>Within one script (the audit reads the listing in two sections) the answer is also kept in
 * {@code moat_ipt4_o}/{@code _r}, so a second call neither lists nor sources again.
 */
public final class FilterTable {
    private FilterTable() {}

    /** The memo file's name under {@code $moat_memo} (complete when it exists; the text is {@code NAME.sh}). */
    public static final String MEMO = "ipt4";

    /** Defines {@code moat_ipt4}; its own variables are prefixed {@code moat_} so none of the caller's are touched but {@code o} and {@code r}. */
    public static final String FUNCTION = String.join("\n",
            "moat_ipt4() {",
            "  if [ \"${moat_ipt4_x:-}\" = \"$1\" ]; then o=$moat_ipt4_o; r=$moat_ipt4_r; return $r; fi",
            "  moat_m=",
            "  case $1 in /usr/sbin/iptables) [ -z \"${moat_memo:-}\" ] || [ ! -d \"$moat_memo\" ] || moat_m=$moat_memo/" + MEMO + ";; esac",
            "  r=; [ -z \"$moat_m\" ] || [ ! -f \"$moat_m\" ] || . \"$moat_m.sh\"",
            "  [ -n \"$r\" ] || { o=$($1 -w 5 -S 2>&1); r=$?; }",
            "  moat_ipt4_x=$1; moat_ipt4_o=$o; moat_ipt4_r=$r",
            "  if [ -n \"$moat_m\" ] && [ ! -f \"$moat_m\" ]; then",
            "    moat_q=$o; moat_e=",
            "    while :; do case $moat_q in *\\'*) moat_e=\"$moat_e${moat_q%%\\'*}'\\\\''\"; moat_q=${moat_q#*\\'};; *) moat_e=\"$moat_e$moat_q\"; break;; esac; done",
            "    printf \"o='%s'; r=%s\\n\" \"$moat_e\" \"$r\" >\"$moat_m.sh\" 2>/dev/null && : >\"$moat_m\" 2>/dev/null",
            "  fi",
            "  return $r",
            "}");
}
