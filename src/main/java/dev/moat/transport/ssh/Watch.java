package dev.moat.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Drains one output stream of a command into memory (run on its own thread, so stdout and stderr
 * are read concurrently and neither can stall the channel) while counting the occurrences of a
 * token (sudo's prompt, or the become marker). Waiters use the monitor shared by both streams.
 */
final class Watch {
    private final Object monitor;
    private final byte[] token;
    /** Sudo's prompt and the marker come first: no need to look further than this. */
    private static final int SCAN_LIMIT = 64 * 1024;
    /**
     * The most of one stream moat keeps: a command that writes more (a {@code shell: cat} of a big log)
     * must not take the controller's memory, which a fleet of such hosts shares. The rest is read and
     * dropped so the command can finish, and the transport fails the command naming the bound.
     */
    static final int KEEP_LIMIT = 32 * 1024 * 1024;
    private final int keepLimit;
    private long dropped;
    private byte[] buf = new byte[8192];
    private int size;
    private int scanned;
    private int count;
    private boolean eof;

    Watch(Object monitor, String token) {
        this(monitor, token, KEEP_LIMIT);
    }

    Watch(Object monitor, String token, int keepLimit) {
        this.monitor = monitor;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.keepLimit = keepLimit;
    }

    /** Reads {@code in} to its end; returns what was read, up to the keep limit ({@link #dropped()} says how much more). */
    byte[] drain(InputStream in) throws IOException {
        byte[] chunk = new byte[32 * 1024];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                synchronized (monitor) {
                    append(chunk, n);
                    if (token != null && count < 3 && scanned < SCAN_LIMIT) scan();
                    monitor.notifyAll();
                }
            }
        } finally {
            synchronized (monitor) {
                eof = true;
                monitor.notifyAll();
            }
        }
        synchronized (monitor) {
            return Arrays.copyOf(buf, size);
        }
    }

    private void append(byte[] chunk, int n) {
        int keep = Math.min(n, keepLimit - size);
        dropped += n - keep;
        n = keep;
        if (n <= 0) return;
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        System.arraycopy(chunk, 0, buf, size, n);
        size += n;
    }

    private void scan() {
        byte[] b = buf;
        for (int i = scanned; i + token.length <= size; i++) {
            if (regionEquals(b, i)) {
                count++;
                i += token.length - 1;
                scanned = i + 1;
            }
        }
        scanned = Math.max(scanned, size - token.length + 1);
    }

    private boolean regionEquals(byte[] b, int at) {
        for (int k = 0; k < token.length; k++) if (b[at + k] != token[k]) return false;
        return true;
    }

    /** Occurrences of the token so far (stops counting at 3). Call holding the monitor. */
    int count() {
        return count;
    }

    /** Bytes read past the keep limit and dropped. Call after {@link #drain} returned. */
    long dropped() {
        synchronized (monitor) {
            return dropped;
        }
    }

    /** Call holding the monitor. */
    boolean ended() {
        return eof;
    }
}
