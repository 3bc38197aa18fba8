package dev.moat.facts;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * What {@link FileFact} read about one path, without following a final symlink. {@code mode} is
 * four octal digits ("0644"); {@code content} holds a regular file's bytes when it is at most
 * {@link FileFact#CAP} bytes, otherwise null with {@code overCap} set; {@code sha256} is known for
 * every regular file.
 */
public record FileState(String path, Type type, String mode, int uid, int gid, String owner, String group,
                        long size, String linkTarget, byte[] content, String sha256, boolean overCap) {
    /** The kinds of path moat tells apart. */
    public enum Type { ABSENT, FILE, DIRECTORY, LINK, OTHER }

    public FileState {
        if (path == null || type == null) throw new IllegalArgumentException("path and type are required");
        if (mode != null && !mode.matches("[0-7]{4}")) throw new IllegalArgumentException("mode " + mode);
    }

    public static FileState absent(String path) {
        return new FileState(path, Type.ABSENT, null, -1, -1, null, null, 0, null, null, null, false);
    }

    public boolean exists() {
        return type != Type.ABSENT;
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    public boolean isLink() {
        return type == Type.LINK;
    }

    /** The content as UTF-8 text, or null when the file is binary, over the cap or not a regular file. */
    public String text() {
        if (content == null) return null;
        return textOf(content);
    }

    /** {@code bytes} as UTF-8 text, or null when they are not valid UTF-8 or contain a NUL byte. */
    public static String textOf(byte[] bytes) {
        for (byte b : bytes) if (b == 0) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "FileState[" + path + " " + type + (exists() ? " " + mode + " " + owner + ":" + group + " " + size : "") + "]";
    }
}
