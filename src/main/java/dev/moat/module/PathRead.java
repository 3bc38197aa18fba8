package dev.moat.module;

/**
 * A fact that only stats one path and reads it, so a batch may read many of them with one
 * {@code stat} and one {@code cat} instead of a subshell and two programs each.
 *
 * <p>Contract: whatever its {@link #script()} prints for an absent path, a directory, a regular file
 * of at most {@link #CAP} bytes or another non-link type must equal what the merged read prints:
 * {@code absent\n}, or {@code TYPE MODE UID GID SIZE OWNER GROUP\n} ({@code stat -c '%a %u %g %s %U %G'},
 * TYPE one of {@code file}, {@code directory}, {@code other}) followed, for a file, by its bytes.
 * Links, bigger files, paths under {@code /proc}, {@code /sys} and {@code /dev}, and any path
 * that changed while read are read by {@link #script()} itself.
 */
public interface PathRead {
    /** Regular files up to this size are read whole; bigger ones by the fact's own script. */
    long CAP = 16L * 1024 * 1024;

    /** The absolute path read. */
    String path();
}
