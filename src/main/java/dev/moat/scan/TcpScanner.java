package dev.moat.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * TCP connect scan of many (address, port) pairs from one thread with non-blocking sockets: up to
 * {@code maxInFlight} handshakes at once, each given {@code timeout}. A filtered port costs its
 * timeout, so 1000 filtered ports cost about {@code ceil(1000 / maxInFlight)} timeouts, not 1000.
 * Only the handshake happens; the socket is closed at once.
 */
public final class TcpScanner {
    /** One address and port to try. */
    public record Target(InetAddress address, int port) {
        public Target {
            Objects.requireNonNull(address, "address");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private record Pending(Target target, SocketChannel channel, long deadline) {}

    private TcpScanner() {}

    /** The state of every target, in the order given. */
    public static Map<Target, PortState> scan(Collection<Target> targets, Duration timeout, int maxInFlight) throws IOException {
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1");
        Map<Target, PortState> out = new LinkedHashMap<>();
        for (Target t : targets) out.put(t, null);
        Deque<Target> queue = new ArrayDeque<>(out.keySet());
        Deque<Pending> inFlight = new ArrayDeque<>(); // started in order, same timeout: deadlines ascend
        long timeoutNanos = timeout.toNanos();
        int cap = maxInFlight;
        try (Selector selector = Selector.open()) {
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                while (!queue.isEmpty() && inFlight.size() < cap) {
                    Target t = queue.poll();
                    SocketChannel ch;
                    try {
                        ch = SocketChannel.open();
                    } catch (IOException e) {
                        // Out of file descriptors (a laptop's ulimit): wait for sockets in flight, with fewer at once.
                        if (inFlight.isEmpty()) throw e;
                        queue.addFirst(t);
                        cap = Math.max(1, inFlight.size());
                        break;
                    }
                    try {
                        ch.configureBlocking(false);
                        if (ch.connect(new InetSocketAddress(t.address(), t.port()))) {
                            out.put(t, PortState.OPEN);
                            ch.close();
                            continue;
                        }
                        Pending p = new Pending(t, ch, System.nanoTime() + timeoutNanos);
                        ch.register(selector, SelectionKey.OP_CONNECT, p);
                        inFlight.add(p);
                    } catch (IOException e) {
                        out.put(t, PortState.classify(e, false));
                        ch.close();
                    }
                }
                long wait = inFlight.isEmpty() ? 1 : Math.max(1, (inFlight.peek().deadline() - System.nanoTime()) / 1_000_000);
                selector.select(wait);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Pending p = (Pending) k.attachment();
                    PortState s;
                    try {
                        s = p.channel().finishConnect() ? PortState.OPEN : null;
                    } catch (IOException e) {
                        s = PortState.classify(e, false);
                    }
                    if (s != null) {
                        out.put(p.target(), s);
                        k.cancel();
                        p.channel().close();
                    }
                }
                long now = System.nanoTime();
                for (Iterator<Pending> pi = inFlight.iterator(); pi.hasNext(); ) {
                    Pending p = pi.next();
                    if (out.get(p.target()) != null) {
                        pi.remove();
                    } else if (p.deadline() - now <= 0) {
                        out.put(p.target(), PortState.classify(null, true));
                        p.channel().close();
                        pi.remove();
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    for (Pending p : inFlight) p.channel().close();
                    throw new java.io.InterruptedIOException("scan interrupted");
                }
            }
        }
        return out;
    }
}
