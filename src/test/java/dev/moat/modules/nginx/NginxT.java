package dev.moat.modules.nginx;

import dev.moat.transport.Sh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A private nginx configuration tree in a scratch directory, tested with the real {@code nginx -t}
 * ({@code -p}/{@code -c}/{@code -e}/{@code -g pid}), never started: nothing binds a port.
 */
public final class NginxT {
    private NginxT() {}

    /** Creates DIR/etc/nginx/{nginx.conf, conf.d, sites-available, sites-enabled} and returns a layout over it. */
    public static NginxLayout layout(Path dir) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed on this machine");
        Path etc = dir.resolve("etc/nginx");
        for (String d : new String[] {"conf.d", "sites-available", "sites-enabled"}) Files.createDirectories(etc.resolve(d));
        Files.writeString(etc.resolve("nginx.conf"), "events {}\nhttp {\n    include " + etc + "/conf.d/*.conf;\n"
                + "    include " + etc + "/sites-enabled/*;\n}\n");
        String test = "nginx -t -q -p " + Sh.q(dir.toString()) + " -c " + Sh.q(etc + "/nginx.conf") + " -e " + Sh.q(dir + "/error.log")
                + " -g " + Sh.q("pid " + dir + "/nginx.pid;");
        return new NginxLayout(etc.toString(), dir.resolve("letsencrypt").toString(), test, "echo reloaded");
    }

    /** A self-signed certificate lineage LE/live/NAME/{fullchain,privkey,cert}.pem, made with openssl. */
    public static void selfSigned(NginxLayout layout, String name) throws Exception {
        Path live = Path.of(layout.live(name));
        Files.createDirectories(live);
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", live.resolve("privkey.pem").toString(), "-out", live.resolve("fullchain.pem").toString(),
                "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name, "-days", "90")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError("openssl failed: " + out);
        Files.copy(live.resolve("fullchain.pem"), live.resolve("cert.pem"));
    }
}
