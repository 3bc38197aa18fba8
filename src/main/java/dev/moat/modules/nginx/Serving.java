package dev.moat.modules.nginx;

/**
 * What a vhost serves, decided from {@code tls} and whether the certificate exists. Basic Auth and
 * the upstream are reachable only through {@link #LOOPBACK} or {@link #HTTPS}, never on a public
 * port in plain HTTP.
 */
public enum Serving {
    /** {@code tls: off}: plain HTTP on 127.0.0.1 and ::1 only, reached through an SSH tunnel. */
    LOOPBACK,
    /** No certificate yet: port 80 answers only ACME challenges, everything else is refused. */
    ACME_ONLY,
    /** HTTPS with the certificate; port 80 answers ACME challenges and redirects the rest to HTTPS. */
    HTTPS
}
