package dev.moat.yaml;

import dev.moat.ExitCode;
import dev.moat.MoatException;

/** A YAML file that cannot be read, or reads to the wrong shape; exits 65 and names file:line:column. */
public class YamlException extends MoatException {
    private final Mark mark;

    public YamlException(Mark mark, String message) {
        super(ExitCode.INVALID, mark + ": " + message);
        this.mark = mark;
    }

    public Mark mark() {
        return mark;
    }
}
