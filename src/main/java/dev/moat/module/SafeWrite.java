package dev.moat.module;

import dev.moat.transport.Sh;

/**
 * The shell that writes a file on a host with stdin as its content, for every module that writes
 * one. moat runs as root, so a write must never follow a link or a rename another user set up:
 * <ul>
 *   <li>every directory above the path (and above the file it resolves to) is checked: one anyone
 *       may write, or a group other than root may write, is refused, unless it is sticky as /tmp is
 *       (others may add entries there, never rename or remove root's);</li>
 *   <li>where a user other than root owns one of them (a file under {@code /home/alice}), the
 *       write runs as that user ({@code runuser}), who could change the file anyway, never as
 *       root; a root-owned file under such a directory is refused rather than written as root (a
 *       write that does not run as root, a task's {@code remote_user} without become, is that
 *       user's own: the kernel checks it);</li>
 *   <li>the new content goes into a private temporary directory (0700, umask 077) beside the file,
 *       gets its final mode there, then replaces the file in one rename: it is never readable
 *       under a looser mode, and a reader sees the old file or the new one.</li>
 * </ul>
 * Mode and owner of the file are kept (the group too, where the writing user may set it).
 */
public final class SafeWrite {
    private SafeWrite() {}

    /**
     * Replaces the existing file {@code path} (through a symlink, to the file it names) with stdin,
     * refusing when its SHA-256 is no longer {@code sha256} (null: no check), so a concurrent edit is
     * never lost. {@code who} names the module in messages.
     */
    public static String replace(String path, String sha256, String who) {
        return script(path, sha256, "", true, true, who);
    }

    /**
     * Writes {@code path} with stdin, creating it if missing (mode from the umask, as {@code cat >}
     * would) and keeping an existing file's mode and owner. A symlink at {@code path} is replaced by
     * the file, never written through. {@code onTemp}: shell lines run on the new file,
     * {@code "$t/new"}, before it takes the path's place (attributes, a validation command).
     */
    public static String create(String path, String onTemp, String who) {
        return script(path, null, onTemp, false, false, who);
    }

    private static String script(String path, String sha256, String onTemp, boolean mustExist, boolean throughLink, String who) {
        String body = "set -e; f=$1\n"
                + (sha256 == null ? "" : "[ \"$(sha256sum < \"$f\" | cut -d' ' -f1)\" = " + Sh.q(sha256) + " ] || { echo "
                        + Sh.q(who + ": " + path + " changed since it was read; not overwritten") + " >&2; exit 1; }\n")
                + "if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then mode=$(stat -c %a -- \"$f\"); uid=$(stat -c %u -- \"$f\"); gid=$(stat -c %g -- \"$f\")\n"
                + "else mode=$(printf %o $((0666 & ~0$(umask)))); uid=$(id -u); gid=$(id -g); fi\n"
                + "umask 077\n"
                + "t=$(mktemp -d -- \"$(dirname -- \"$f\")/.moat.XXXXXX\")\n"
                + "trap 'rm -rf -- \"$t\"' EXIT\n"
                + "cat > \"$t/new\"\n"
                + "chmod \"$mode\" \"$t/new\"\n"
                + "if [ \"$(id -u)\" = 0 ]; then chown -h \"$uid:$gid\" \"$t/new\"; else chgrp -h \"$gid\" \"$t/new\" 2>/dev/null || true; fi\n"
                + onTemp + (onTemp.isEmpty() || onTemp.endsWith("\n") ? "" : "\n")
                + "mv -fT -- \"$t/new\" \"$f\"\n";
        String target = throughLink
                ? "f=$(readlink -f -- \"$p\") || fail 'cannot resolve it'\n"
                        + (mustExist ? "[ -f \"$f\" ] || fail 'not a regular file'\n" : "")
                        + "guard \"$(dirname -- \"$f\")\"\n"
                : "f=$p\n" + (mustExist ? "[ -f \"$f\" ] || fail 'not a regular file'\n" : "");
        return "set -e\n"
                + "p=" + Sh.q(path) + "\n"
                + "fail() { printf '%s\\n' " + Sh.q(who + ": " + path + ": ") + "\"$1\" >&2; exit 1; }\n"
                + GUARD
                + "guard \"$(dirname -- \"$p\")\"\n"
                + target
                + "body=" + Sh.q(body) + "\n"
                // Only root must step down to the directory's owner; a task logged in as a user (remote_user) writes with that user's own rights.
                + "if [ \"$owner\" = 0 ] || [ \"$(id -u)\" != 0 ]; then sh -c \"$body\" moat-write \"$f\"; exit $?; fi\n"
                + "name=$(getent passwd \"$owner\" | cut -d: -f1)\n"
                + "[ -n \"$name\" ] || fail \"its directory belongs to uid $owner, who has no account\"\n"
                + "if [ -e \"$f\" ] || [ -L \"$f\" ]; then [ \"$(stat -c %u -- \"$f\")\" = \"$owner\" ] || fail \"a file of uid $(stat -c %u -- \"$f\") in a directory $name controls:"
                + " moat will not write it as root (chown it to $name, or move it)\"; fi\n"
                + "exec runuser -u \"$name\" -- sh -c \"$body\" moat-write \"$f\"\n";
    }

    /**
     * Shell lines that end the script (exit 1, naming {@code who}) unless every directory above each
     * of {@code paths} is one only root may write: for a set of root's files that moat writes
     * together as root (nginx's configuration), where no other user may own or write a directory on
     * the way, so nothing can redirect the write. The same walk as {@link #replace}'s.
     */
    public static String rootOnly(java.util.List<String> paths, String who) {
        StringBuilder s = new StringBuilder("fail() { printf '%s\\n' " + Sh.q(who + ": ") + "\"$1\" >&2; exit 1; }\n");
        s.append(GUARD);
        java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
        for (String p : paths) {
            int slash = p.lastIndexOf('/');
            dirs.add(slash <= 0 ? "/" : p.substring(0, slash));
        }
        for (String d : dirs) {
            s.append("guard ").append(Sh.q(d)).append('\n');
            s.append("[ \"$owner\" = 0 ] || fail ").append(Sh.q(d + " is under a directory of uid ")).append("\"$owner\"")
                    .append(Sh.q(": moat writes root's files there only where root alone controls the way")).append('\n');
        }
        return s.toString();
    }

    /**
     * {@code guard DIR}: walks DIR up to /; fails on a directory anyone may write, or a group other
     * than root; sets {@code owner} to the one user other than root who owns any of them (0: none).
     */
    static final String GUARD = "owner=${owner:-0}\n"
            + "guard() {\n"
            + "  d=$1\n"
            + "  while :; do\n"
            + "    s=$(stat -c '%u %g %a' -- \"$d\") || fail \"cannot stat $d\"\n"
            + "    u=${s%% *}; r=${s#* }; g=${r%% *}; m=$((0${r#* }))\n"
            // Sticky (/tmp): others may add entries but never rename or remove root's, so the rename is safe.
            + "    [ $((m & 2)) = 0 ] || [ $((m & 512)) != 0 ] || fail \"$d can be written by anyone: moat writes nothing under it as root\"\n"
            + "    [ $((m & 16)) = 0 ] || [ $((m & 512)) != 0 ] || [ \"$g\" = 0 ] || fail \"$d can be written by group $g: moat writes nothing under it as root\"\n"
            + "    if [ \"$u\" != 0 ]; then\n"
            + "      [ \"$owner\" = 0 ] || [ \"$owner\" = \"$u\" ] || fail \"its directories belong to two users (uid $owner and $u)\"\n"
            + "      owner=$u\n"
            + "    fi\n"
            + "    [ \"$d\" = / ] && break\n"
            + "    d=$(dirname -- \"$d\")\n"
            + "  done\n"
            + "}\n";
}
