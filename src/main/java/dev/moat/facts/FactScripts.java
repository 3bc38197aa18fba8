package dev.moat.facts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The shell snippets of the bigger facts, kept as resources beside these classes. */
final class FactScripts {
    private FactScripts() {}

    static String load(String name) {
        try (InputStream in = FactScripts.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
