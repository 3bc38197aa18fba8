package dev.moat.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import javax.net.SocketFactory;

/**
 * OpenSSH's {@code ProxyCommand}: a local command whose standard input and output carry the SSH
 * connection ({@code nc bastion 22}, {@code cloudflared access ssh --hostname %h}, an SSM
 * session). It is the one process moat starts on the controller, and only when the user configured
 * it (in {@code ~/.ssh/config} or with {@code -o ProxyCommand=} in {@code ansible_ssh_common_args}).
 * The command runs through the shell with {@code %h} (the target's address), {@code %p}, {@code %r},
 * {@code %n} (the name as given) and {@code %%} expanded, as OpenSSH does; what it prints on
 * standard error is kept (the last 4 KiB) for the error message when the connection fails. The host
 * key is still checked against the target's name, never the proxy's.
 *
 * <pre>
 * Host gpu-*
 *     ProxyCommand nc -X connect -x proxy.corp:3128 %h %p
 * </pre>
 */
final class ProxyCommand {
    private static final int STDERR_KEPT = 4096;

    private final String command;

    /** {@code template} with the {@code %} tokens expanded for one target. */
    ProxyCommand(String template, String address, int port, String user, String name) {
        this.command = expand(template, address, port, user, name);
    }

    /** The command as run. */
    String command() {
        return command;
    }

    static String expand(String template, String address, int port, String user, String name) {
        return SshConfig.expandTokens(template, java.util.Map.of('h', address, 'p', String.valueOf(port),
                'r', user == null ? "" : user, 'n', name));
    }

    /** The shell that runs it: {@code $SHELL -c} as OpenSSH, {@code /bin/sh} without one, {@code cmd /c} on Windows. */
    static List<String> shell(String command) {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) return List.of("cmd.exe", "/c", command);
        String sh = System.getenv("SHELL");
        return List.of(sh == null || sh.isBlank() ? "/bin/sh" : sh, "-c", "exec " + command);
    }

    /** Sockets that start the command when sshj connects, for one connection. */
    SocketFactory sockets() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new Piped();
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private volatile Piped last;

    /** How the command ended and what it said on stderr ("exited with 1 and said: ..."); empty when it runs on silently. */
    String report() {
        Piped p = last;
        if (p == null || p.process == null) return "";
        try {
            // the connection failed: give the command a moment to finish and its last words to arrive
            // (on a loaded machine the JDK notices a process's exit late: 300 ms was not enough)
            p.process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String err = p.said().strip().replaceAll("\\s*\\n\\s*", " | ");
        String exit = p.process.isAlive() ? "" : "exited with " + p.process.exitValue();
        if (!p.process.isAlive()) p.forgetStderr();
        if (err.isEmpty()) return exit;
        return (exit.isEmpty() ? "" : exit + " and ") + "said: " + err;
    }

    /**
     * A "socket" whose streams are the command's standard output and input. Its standard error goes
     * to a private temporary file (0600), not a pipe: a pipe's last bytes were lost when the stream
     * closed under the thread draining it, and a file holds them for the report whatever the order.
     */
    private final class Piped extends Socket {
        Process process;
        private java.nio.file.Path stderr;
        private volatile boolean closed;

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            stderr = java.nio.file.Files.createTempFile("moat-proxycommand-", ".err");
            stderr.toFile().deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder(shell(command)).redirectError(stderr.toFile());
            try {
                process = pb.start();
            } catch (IOException e) {
                forgetStderr();
                throw new IOException("cannot start ProxyCommand '" + command + "': " + e.getMessage(), e);
            }
            last = this;
        }

        /** The last {@value #STDERR_KEPT} bytes the command wrote on standard error. */
        synchronized String said() {
            if (stderr == null) return "";
            try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(stderr)) {
                long size = f.size();
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(size, STDERR_KEPT));
                f.position(size - b.capacity());
                while (b.hasRemaining() && f.read(b) > 0) {
                    // read the tail
                }
                return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        synchronized void forgetStderr() {
            if (stderr == null) return;
            try {
                java.nio.file.Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // deleteOnExit removes it later
            }
            stderr = null;
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public InputStream getInputStream() {
            return process.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() {
            return process.getOutputStream();
        }

        @Override
        public boolean isConnected() {
            return process != null;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void setSoTimeout(int timeout) {
            // a pipe has no read timeout: the connector's watchdog closes a silent proxy
        }

        @Override
        public void setTcpNoDelay(boolean on) {
            // not a TCP socket
        }

        @Override
        public void setKeepAlive(boolean on) {
            // not a TCP socket
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            if (process == null) return;
            try {
                process.getOutputStream().close();
                process.waitFor(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (IOException ignored) {
                // it is going away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (process.isAlive()) {
                process.destroy();
                try {
                    process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Ended by our SIGTERM: a connection that worked, now closed, and nobody will ask what
                // the command said. Any other end means it had already exited by itself (the JDK
                // noticed late) and report() may still want its words.
                if (process.isAlive() || process.exitValue() == 128 + 15) forgetStderr();
            }
            // one that ended by itself keeps its stderr until report() reads it (or the JVM exits)
        }
    }
}
