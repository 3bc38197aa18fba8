package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShTest {
    @Test
    void quotesOneWordEvenWithSingleQuotes() {
        assertEquals("'/etc/a b'", Sh.quote("/etc/a b"));
        assertEquals("'it'\\''s'", Sh.quote("it's"));
    }
}
