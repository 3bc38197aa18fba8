package dev.moat.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import dev.moat.module.Step;

/**
 * Writes a file fetched from a host on the controller ({@link Step#fetch}): decodes the base64 the
 * step printed, checks its SHA-1 when one is expected, and puts it at its path through a temporary
 * file in the same directory and a rename, so a reader never sees half a file.
 */
final class ControllerWrite {
    private ControllerWrite() {}

    /** Null when written, else why not. */
    static String write(Step.ToController to, byte[] base64) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(new String(base64, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            return "the host sent no base64 file content";
        }
        try {
            String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
            if (to.sha1() != null && !to.sha1().equals(sha1)) {
                return "checksum mismatch: the file read has SHA-1 " + sha1 + ", the host reported " + to.sha1() + " (it changed while read?)";
            }
            Path dest = to.dest().toAbsolutePath();
            Files.createDirectories(dest.getParent());
            Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName(), ".moat");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return null;
        } catch (IOException e) {
            return "cannot write " + to.dest() + " on the controller: " + e.getMessage();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
