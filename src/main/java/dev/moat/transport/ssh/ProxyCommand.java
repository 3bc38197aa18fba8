package dev.moat.transport.ssh;

import java.io.ByteArrayOutputStream;
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
            boolean ended = p.process.waitFor(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            // once it has ended its stderr is at end of file: the drain finishes as soon as it is
            // scheduled, which on a loaded machine can take longer than a moment
            if (p.drain != null) p.drain.join(ended ? 2000 : 300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String err;
        synchronized (p.stderr) {
            err = p.stderr.toString(StandardCharsets.UTF_8).strip().replaceAll("\\s*\\n\\s*", " | ");
        }
        String exit = p.process.isAlive() ? "" : "exited with " + p.process.exitValue();
        if (err.isEmpty()) return exit;
        return (exit.isEmpty() ? "" : exit + " and ") + "said: " + err;
    }

    /** A "socket" whose streams are the command's standard output and input. */
    private final class Piped extends Socket {
        Process process;
        Thread drain;
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private volatile boolean closed;

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(shell(command));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot start ProxyCommand '" + command + "': " + e.getMessage(), e);
            }
            last = this;
            drain = new Thread(this::drain, "moat-proxycommand-stderr");
            drain.setDaemon(true);
            drain.start();
        }

        private void drain() {
            byte[] buf = new byte[1024];
            try (InputStream in = process.getErrorStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (stderr) {
                        if (stderr.size() > STDERR_KEPT) {
                            byte[] keep = stderr.toByteArray();
                            stderr.reset();
                            stderr.write(keep, keep.length - STDERR_KEPT / 2, STDERR_KEPT / 2);
                        }
                        stderr.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the command ended
            }
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
            boolean ended = false;
            try {
                process.getOutputStream().close();
                // let a command that is ending say why: destroy() closes its stderr under the
                // drain, which then loses what it had not read yet (a shell's "not found")
                ended = process.waitFor(300, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (ended && drain != null) drain.join(2000);
            } catch (IOException ignored) {
                // it is going away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ended && drain != null && !drain.isAlive()) {
                try {
                    process.getInputStream().close(); // stderr was closed by the drain at its end
                } catch (IOException ignored) {
                    // already closed
                }
            } else {
                process.destroy();
            }
        }
    }
}
