package dev.moat.transport.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * The one sshj {@link DefaultConfig} of the process. Building it probes every cipher and seeds a
 * random generator, so it is made once and shared by every connection. AES-GCM and AES-CTR are
 * preferred over chacha20-poly1305, which the JDK runs without hardware help; the connector's
 * keepalives detect a dead peer.
 */
final class SharedConfig {
    private SharedConfig() {}

    private static final class Holder {
        static final DefaultConfig CONFIG = build();
    }

    static DefaultConfig get() {
        return Holder.CONFIG;
    }

    private static DefaultConfig build() {
        DefaultConfig c = new DefaultConfig();
        List<Factory.Named<Cipher>> first = new ArrayList<>(), rest = new ArrayList<>();
        for (Factory.Named<Cipher> f : c.getCipherFactories()) {
            String n = f.getName();
            if (n.startsWith("aes") && (n.contains("gcm") || n.contains("ctr"))) first.add(f);
            else rest.add(f);
        }
        first.addAll(rest);
        c.setCipherFactories(first);
        c.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        return c;
    }

    /** Sockets with TCP_NODELAY: SSH is a chatty request/response protocol, Nagle only delays it. */
    static final SocketFactory SOCKETS = new SocketFactory() {
        private Socket tuned(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return tuned(new Socket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return tuned(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return tuned(new Socket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return tuned(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return tuned(new Socket(host, port, local, localPort));
        }
    };
}
