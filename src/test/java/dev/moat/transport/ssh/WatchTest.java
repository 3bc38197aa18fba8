package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A command's output is kept up to a bound; the rest is read (so the command can end) and counted. */
class WatchTest {
    /** {@code n} bytes of 'x', made as they are read. */
    private static InputStream bytes(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 'x');
                left -= k;
                return k;
            }
        };
    }

    @Test
    void outputPastTheBoundIsDroppedAndCounted() throws Exception {
        Watch w = new Watch(new Object(), null, 1000);
        byte[] kept = w.drain(bytes(100_000));
        assertEquals(1000, kept.length);
        assertEquals(99_000, w.dropped());
    }

    @Test
    void outputWithinTheBoundIsKeptWhole() throws Exception {
        Watch w = new Watch(new Object(), "MARK\n", 1000);
        byte[] kept = w.drain(new ByteArrayInputStream("MARK\nhello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("MARK\nhello", new String(kept, StandardCharsets.UTF_8));
        assertEquals(0, w.dropped());
        synchronized (new Object()) {
            assertEquals(1, w.count());
        }
    }

    @Test
    void theDefaultBoundHoldsForAStreamOfAGibibyte() throws Exception {
        Watch w = new Watch(new Object(), null);
        byte[] kept = w.drain(bytes(1L << 30));
        assertEquals(Watch.KEEP_LIMIT, kept.length);
        assertEquals((1L << 30) - Watch.KEEP_LIMIT, w.dropped());
    }
}
