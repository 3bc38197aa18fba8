package dev.moat.yaml;

import java.nio.file.Path;

/** A place in a source file, 1-based line and column, printed as {@code file:line:column}. */
public record Mark(Path file, int line, int column) {
    public static final Mark NONE = new Mark(null, 0, 0);

    @Override
    public String toString() {
        if (file == null) return "<unknown>";
        if (line <= 0) return file.toString();
        return file + ":" + line + ":" + column;
    }
}
