package dev.moat.modules.system;

import java.util.List;

/**
 * Where local accounts live and what names they may have. User and group facts are keyed under
 * {@value #DB} ({@code account:/etc/passwd/user/NAME}, {@code account:/etc/passwd/group/NAME}),
 * so a module that touches {@code account:/etc/passwd} makes every one of them stale (a new user
 * may add a group, a group's id shows in its members' entries).
 *
 * <p>Rollback journals whole files, not lines: {@link #FILES} are restored byte for byte (the
 * journal's copies stay on the host, root-only; the run record keeps their paths and checksums),
 * so a rollback also undoes what {@code useradd} did beside the named account (a user's own group,
 * sub-uid ranges). {@code moat rollback} of an older run refuses a file changed since, as for any path.
 */
public final class Accounts {
    private Accounts() {}

    public static final String DB = "/etc/passwd";
    public static final String TOUCH = "account:" + DB;
    public static final List<String> FILES = List.of("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow");

    /** A user or group name as shadow-utils takes it: never an option, never shell. */
    public static boolean isName(String name) {
        return name != null && name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?") && name.length() <= 32;
    }
}
