package dev.moat.transport;

import java.nio.charset.StandardCharsets;

/** What a command returned: its exit status and both output streams, read completely. */
public record ExecResult(int rc, byte[] stdout, byte[] stderr) {
    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean ok() {
        return rc == 0;
    }
}
