package dev.moat.module;

import java.nio.charset.StandardCharsets;

/** What one fact's snippet printed, framed out of the batched read. */
public record FactOutput(int rc, byte[] stdout, byte[] stderr) {
    public String text() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String errText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
