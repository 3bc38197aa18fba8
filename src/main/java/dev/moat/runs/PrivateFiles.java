package dev.moat.runs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * moat's files on the controller: {@code $MOAT_HOME} and the directories in it are 0700, every file
 * 0600 from the moment it exists (a run record names hosts, paths and what was changed). Written
 * to a temporary file and renamed, so a reader (or a kill) never sees half of one.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Creates {@code dir} and each missing parent as 0700. A directory that exists already is left
     * as it is: it may be the user's own choice ({@code MOAT_HOME=/srv/moat}), never moat's to loosen or tighten.
     */
    public static void directory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return;
        if (abs.getParent() != null) directory(abs.getParent());
        try {
            Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // made a moment ago by another moat
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(abs);
        }
    }

    /** Replaces {@code file} with {@code bytes}: a 0600 temporary file beside it, then one rename. */
    public static void write(Path file, byte[] bytes) throws IOException {
        directory(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
