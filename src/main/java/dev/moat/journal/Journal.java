package dev.moat.journal;

import java.util.List;

import dev.moat.transport.Sh;

/**
 * The on-host journal of a run: before a change, a snapshot of what its {@link Undo} names is
 * taken into {@code DIR/RUN_ID/SEQ/}; rollback restores entries in reverse order and checks each
 * against the listing taken with the snapshot. Contents stay on the host (root-only, the last
 * {@value #KEEP} runs kept); the controller's run record holds paths and checksums only.
 *
 * <p>A path is saved with {@code tar --numeric-owner -p}, so bytes, modes, owners, symlinks and
 * whole trees come back exactly. A path that did not exist is recorded with the first of its
 * ancestors that did not exist either, so a restore removes directories the change created.
 */
public final class Journal implements dev.moat.journal.Snapshots {
    /** Where runs are journaled on the host. */
    public static final String DEFAULT_DIR = StateDir.RUNS;
    public static final int KEEP = 10;
    /** What a secret is masked with in a run record: the template layer's Secrets.MASK (a layer above; RollbackOfSecretPathTest checks they agree). */
    public static final String MASK = "********";

    private final String dir;

    public Journal(String dir) {
        this.dir = dir;
    }

    public String runDir(String runId) {
        return dir + "/" + runId;
    }

    /** Creates the run's directory (0700) and prunes old runs, keeping the newest {@value #KEEP}. */
    @Override
    public String open(String runId) {
        return "umask 077; mkdir -p " + Sh.q(dir) + " && chmod 700 " + Sh.q(dir) + " && mkdir -p " + Sh.q(runDir(runId))
                + " && cd " + Sh.q(dir) + " && ls -1 | sort | head -n -" + KEEP + " | while read -r old; do rm -rf -- \"$old\"; done";
    }

    /** The script that saves what {@code undo} needs before entry {@code seq} changes anything. */
    @Override
    public String snapshot(String runId, int seq, Undo undo) {
        String d = Sh.q(runDir(runId) + "/" + seq);
        StringBuilder s = new StringBuilder("set -e; umask 077; d=" + d + "; rm -rf \"$d\"; mkdir -p \"$d\"\n");
        if (undo instanceof Undo.RestorePath p) {
            s.append("printf '%s\\n' path > \"$d/kind\"\n");
            s.append(savePath(p.path()));
        } else if (undo instanceof Undo.RemovePackages) {
            s.append("printf '%s\\n' packages > \"$d/kind\"\n");
            s.append(PackageControl.snapshot());
        } else if (undo instanceof Undo.RestoreFirewall) {
            s.append("printf '%s\\n' firewall > \"$d/kind\"\n");
            s.append(savePath("/etc/ufw"));
            s.append("if ufw status 2>/dev/null | grep -q '^Status: active'; then echo active; else echo inactive; fi > \"$d/ufw\"\n");
            s.append(saveDockerUser());
        } else if (undo instanceof Undo.RecreateContainer c) {
            s.append("printf '%s\\n' container > \"$d/kind\"\n");
            s.append(ContainerControl.snapshot(c));
        } else if (undo instanceof Undo.RemoveDocker r) {
            s.append("printf '%s\\n' docker > \"$d/kind\"\n");
            s.append(DockerControl.snapshot(r));
        } else {
            // Packages, services, compose recreation and irreversible actions need no snapshot of
            // their own: their undo is derived from the plan (or, for irreversible ones, refused).
            s.append("printf '%s\\n' ").append(Sh.q(kind(undo))).append(" > \"$d/kind\"\n");
        }
        // Last, under set -e: only a snapshot taken whole is marked done (a killed run may leave one half-taken).
        s.append(": > \"$d/").append(DONE).append("\"\n");
        return s.toString();
    }

    /**
     * Saves Docker's {@code DOCKER-USER} chain (IPv4 and IPv6) beside the firewall: rules that
     * /etc/ufw/after.rules put there ({@code ufw_docker}) stay in the chain after a reload of a
     * file without them, since the chain is not UFW's own. No file: the chain did not exist.
     */
    static String saveDockerUser() {
        return "for x in iptables ip6tables; do command -v $x >/dev/null 2>&1 || continue; "
                + "if $x -w 5 -S DOCKER-USER > \"$d/$x-docker-user\" 2>/dev/null; then :; else rm -f \"$d/$x-docker-user\"; fi; done\n";
    }

    /**
     * Puts {@code DOCKER-USER} back as saved, after UFW reloaded the restored files: flushed and
     * refilled with the saved rules (lines {@code iptables -S} printed on this host), or, where
     * it did not exist, flushed and deleted (or left with Docker's lone RETURN while Docker's
     * FORWARD jump still names it).
     */
    static String restoreDockerUser() {
        return "for x in iptables ip6tables; do command -v $x >/dev/null 2>&1 || continue; f=\"$d/$x-docker-user\"\n"
                + "  if [ -f \"$f\" ]; then $x -w 5 -F DOCKER-USER 2>/dev/null || $x -w 5 -N DOCKER-USER\n"
                + "    grep '^-A DOCKER-USER ' \"$f\" | while IFS= read -r rule; do eval \"$x -w 5 $rule\"; done\n"
                + "  elif $x -w 5 -S DOCKER-USER >/dev/null 2>&1; then $x -w 5 -F DOCKER-USER\n"
                + "    $x -w 5 -X DOCKER-USER 2>/dev/null || $x -w 5 -A DOCKER-USER -j RETURN\n"
                + "  fi\n"
                + "done\n";
    }

    private static final String DONE = "done";

    /**
     * Lists, one per line, the entries of run {@code runId} whose snapshot was taken whole (the
     * caller makes sure the host has the run's journal). A change starts only after its snapshots,
     * so for a run that was killed, an entry not listed here never changed anything.
     */
    public String completed(String runId) {
        return "d=" + Sh.q(runDir(runId)) + "\n"
                + "for e in \"$d\"/*; do [ -f \"$e/" + DONE + "\" ] && basename \"$e\"; done; exit 0\n";
    }

    /** Unmounts {@code u.path()} while it is a mount point, then (if asked) removes the directory when empty. */
    static String unmount(Undo.Unmount u) {
        String p = Sh.q(u.path());
        return "if mountpoint -q -- " + p + "; then umount -- " + p + "; fi\n"
                + (u.removeDir() ? "if [ -d " + p + " ]; then rmdir -- " + p + "; fi\n" : "");
    }

    /** The script that puts back what entry {@code seq} saved, then verifies it against the saved listing. */
    @Override
    public String restore(String runId, int seq, Undo undo) {
        String d = Sh.q(runDir(runId) + "/" + seq);
        StringBuilder s = new StringBuilder("set -e; d=" + d + "\n");
        s.append("[ -d \"$d\" ] || { echo \"journal entry $d is missing\" >&2; exit 3; }\n");
        if (undo instanceof Undo.RestorePath p) {
            s.append(restorePath(p.path()));
        } else if (undo instanceof Undo.RestoreFirewall) {
            s.append(restorePath("/etc/ufw"));
            s.append("if [ \"$(cat \"$d/ufw\")\" = active ]; then ufw --force enable >/dev/null; ufw reload >/dev/null; "
                    + "else ufw --force disable >/dev/null; fi\n");
            s.append(restoreDockerUser());
        } else if (undo instanceof Undo.RemovePackages r) {
            s.append(PackageControl.restore(r));
        } else if (undo instanceof Undo.RestoreService svc) {
            s.append(ServiceControl.restore(svc));
        } else if (undo instanceof Undo.RestoreUnit u) {
            s.append(ServiceControl.restoreUnit(u));
        } else if (undo instanceof Undo.RestoreSysctl x) {
            s.append(ServiceControl.restoreSysctl(x));
        } else if (undo instanceof Undo.RestoreSelection x) {
            s.append(PackageControl.restoreSelection(x));
        } else if (undo instanceof Undo.Unmount u) {
            s.append(unmount(u));
        } else if (undo instanceof Undo.RecreateCompose c) {
            s.append(ComposeControl.recreate(c));
        } else if (undo instanceof Undo.RecreateContainer c) {
            s.append(ContainerControl.restore(c));
        } else if (undo instanceof Undo.RemoveDocker r) {
            s.append(DockerControl.restore(r));
        } else if (undo instanceof Undo.Reload r) {
            s.append("(\n").append(ServiceReload.script(r.service(), r.restart())).append("\n) || { echo ").append(Sh.q("reloading " + r.service() + " after the restore failed"))
             .append(" >&2; exit 5; }\n");
        } else if (undo instanceof Undo.Irreversible i) {
            s.append("echo ").append(Sh.q("cannot be undone: " + i.what())).append(" >&2; exit 4\n");
        }
        return s.toString();
    }

    /**
     * Right after the change's steps ran (failed or not), records what it turned out to be: for a
     * package install, every package that became installed ({@code @@packages NAME...} on stdout).
     */
    @Override
    public String settle(String runId, int seq, Undo undo) {
        if (!(undo instanceof Undo.RemovePackages)) return null;
        return "d=" + Sh.q(runDir(runId) + "/" + seq) + "; umask 077\n" + PackageControl.settle();
    }

    /** A package undo with the packages {@link #settle} found newly installed, dependencies included. */
    @Override
    public Undo settled(Undo undo, String out) {
        List<String> installed = PackageControl.parse(out);
        return undo instanceof Undo.RemovePackages && installed != null ? new Undo.RemovePackages(installed) : undo;
    }

    /**
     * At the end of a run, records the state each entry's resource was left in ({@code post}), so a
     * later {@code moat rollback} can tell whether anything changed it since.
     */
    @Override
    public String seal(String runId, int seq, Undo undo) {
        String d = Sh.q(runDir(runId) + "/" + seq);
        String path = trackedPath(undo);
        if (path == null) return "true";
        return "d=" + d + "; umask 077\n" + assignPath(path)
                + "if [ -e \"$p\" ] || [ -L \"$p\" ]; then " + LISTING + " > \"$d/post\"; else echo absent > \"$d/post\"; fi\n";
    }

    /**
     * Exits {@value #CHANGED_SINCE} (with what differs on stderr) when the entry's resource is no
     * longer as the run left it; 0 when it is, or when the run recorded no post state for it.
     */
    @Override
    public String changedSince(String runId, int seq, Undo undo) {
        String d = Sh.q(runDir(runId) + "/" + seq);
        String path = trackedPath(undo);
        if (path == null) return "true";
        return "d=" + d + "\n"
                + "[ -f \"$d/post\" ] || exit 0\n" + assignPath(path)
                + "if [ -e \"$p\" ] || [ -L \"$p\" ]; then " + LISTING + " > \"$d/now\"; else echo absent > \"$d/now\"; fi\n"
                + "cmp -s \"$d/post\" \"$d/now\" && exit 0\n"
                + "echo \"$p changed since the run:\" >&2; diff \"$d/post\" \"$d/now\" | sed -n 's/^[<>] //p' | head -5 >&2; exit "
                + CHANGED_SINCE + "\n";
    }

    /** The path whose state stands for the entry's resource, or null when it has none. */
    public static String trackedPath(Undo undo) {
        if (undo instanceof Undo.RestorePath p) return p.path();
        if (undo instanceof Undo.RestoreFirewall) return "/etc/ufw";
        return null;
    }

    /** Exit status of {@link #changedSince} when the resource changed after the run. */
    public static final int CHANGED_SINCE = 7;

    /** Exit status of {@link #restore} for an entry that by its nature cannot be reversed. */
    public static final int IRREVERSIBLE = 4;

    static String kind(Undo u) {
        return u.getClass().getSimpleName();
    }

    private static String savePath(String path) {
        String rel = Sh.q(path.replaceFirst("^/+", ""));
        return "p=" + Sh.q(path) + "\n"
                + "printf '%s\\n' \"$p\" > \"$d/path\"\n"
                + "if [ -e \"$p\" ] || [ -L \"$p\" ]; then\n"
                + "  echo present > \"$d/state\"\n"
                + "  tar -C / --numeric-owner -cpf \"$d/data.tar\" -- " + rel + "\n"
                + "  " + LISTING + " > \"$d/listing\"\n"
                + "  printf '@@journal %s present %s %s\\n' \"$p\" \"$(stat -c '%a %U:%G' -- \"$p\")\" \"$(sha256sum < \"$d/listing\" | cut -c1-64)\"\n"
                + "else\n"
                + "  echo absent > \"$d/state\"\n"
                + "  printf '@@journal %s absent\\n' \"$p\"\n"
                + "  top=\"$p\"; up=$(dirname \"$p\")\n"
                + "  while [ \"$up\" != / ] && [ ! -e \"$up\" ]; do top=\"$up\"; up=$(dirname \"$up\"); done\n"
                + "  printf '%s\\n' \"$top\" > \"$d/top\"\n"
                + "fi\n";
    }

    private static String restorePath(String path) {
        return assignPath(path)
                + "if [ \"$(cat \"$d/state\")\" = present ]; then\n"
                + "  rm -rf -- \"$p\"\n"
                + "  tar -C / --numeric-owner -xpf \"$d/data.tar\"\n"
                + "  " + LISTING + " > \"$d/listing.after\"\n"
                + "  cmp -s \"$d/listing\" \"$d/listing.after\" || { echo \"restored $p differs from its snapshot:\" >&2; "
                + "diff \"$d/listing\" \"$d/listing.after\" >&2 || true; exit 5; }\n"
                + "else\n"
                + "  top=$(cat \"$d/top\"); rm -rf -- \"$top\"\n"
                + "  if [ -e \"$p\" ] || [ -L \"$p\" ]; then echo \"could not remove $p\" >&2; exit 5; fi\n"
                + "fi\n";
    }

    /**
     * Sets {@code $p} to {@code path}. A path the run record holds masked (made from a secret: a home
     * named from a vaulted user list) is read from the entry's own {@code $d/path}, which the
     * snapshot wrote on the host, root-only, beside the path's saved bytes; it must match the masked
     * path with each mask standing for one or more characters (a leading one for an absolute path's
     * start), or the script exits 5. A journal
     * from before that file existed cannot be restored by script: exit 5, saying so.
     */
    static String assignPath(String path) {
        if (!path.contains(MASK)) return "p=" + Sh.q(path) + "\n";
        String[] parts = path.split(java.util.regex.Pattern.quote(MASK), -1);
        // A mask at the start (the whole path came from a secret) stands for an absolute path's start.
        StringBuilder glob = new StringBuilder(parts[0].isEmpty() ? "/*" : Sh.q(parts[0]) + "?*");
        for (int i = 1; i < parts.length; i++) glob.append(Sh.q(parts[i])).append(i < parts.length - 1 ? "?*" : "");
        String shown = Sh.q(path);
        return "[ -f \"$d/path\" ] || { echo " + shown + "\": the journal on the host does not name this path (an older moat's): restore it by hand\" >&2; exit 5; }\n"
                + "p=$(cat \"$d/path\")\n"
                + "case \"$p\" in " + glob + ") ;; *) echo " + shown + "\": the journal on the host names another path\" >&2; exit 5 ;; esac\n";
    }

    /**
     * A listing of a path that changes when any byte, mode, owner, group or link target under it
     * changes: find's type, mode, uid, gid and link target per entry, plus sha256 of each regular file.
     */
    static final String LISTING = "{ find \"$p\" -printf '%y %m %U %G %l %P\\n' | sort; "
            + "find \"$p\" -type f -exec sha256sum {} + | sort -k2; }";
}
