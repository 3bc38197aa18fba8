package dev.moat.modules.nginx;

import java.util.List;

/**
 * The inputs of one rendered vhost, validated: everything that reaches the nginx file is checked
 * here so no argument can inject a directive. {@link #render} is a pure function of these fields,
 * what it serves, whether the host has IPv6, and the layout (certificate paths), so the same
 * playbook renders the same bytes on every run and drift checks stay quiet.
 *
 * @param authFile     htpasswd path, or null for no Basic Auth
 * @param bodySize     {@code client_max_body_size}, e.g. {@code 100m}
 * @param acmeWebroot  the directory certbot's webroot authenticator writes challenges under
 */
public record Vhost(String name, List<String> serverNames, int httpPort, int httpsPort, Upstream upstream,
                    String authFile, String authRealm, String certName, String bodySize, String acmeWebroot) {
    /** The variable the upgrade {@code map} defines; prefixed so it cannot clash with a site's own {@code $connection_upgrade}. */
    public static final String UPGRADE_VAR = "$moat_connection_upgrade";

    /** The http-context file every moat vhost relies on: WebSocket upgrade only when the client asks for it. */
    public static final String UPGRADE_MAP = "# Managed by moat (nginx_vhost): WebSocket upgrade for proxied vhosts.\n"
            + "# Connection: upgrade only when the client sent Upgrade, else close as usual.\n"
            + "map $http_upgrade " + UPGRADE_VAR + " {\n"
            + "    default upgrade;\n"
            + "    ''      close;\n"
            + "}\n";

    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

    public Vhost {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new IllegalArgumentException("bad vhost name '" + name + "'");
        serverNames = List.copyOf(serverNames);
        if (serverNames.isEmpty()) throw new IllegalArgumentException("at least one server_name is required");
        for (String s : serverNames) {
            if (!isServerName(s)) throw new IllegalArgumentException("'" + s + "' is not a DNS name (e.g. api.example.com or *.example.com)");
        }
        for (int p : new int[] {httpPort, httpsPort}) {
            if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p + " is not in 1-65535");
        }
        if (httpPort == httpsPort) throw new IllegalArgumentException("HTTP and HTTPS need two different ports, got " + httpPort + " twice");
        if (authFile != null && !authFile.matches("/[A-Za-z0-9._/@+-]*")) {
            throw new IllegalArgumentException("auth_file '" + authFile + "' must be an absolute path of letters, digits and ._/@+-");
        }
        if (authRealm == null || !authRealm.matches("[A-Za-z0-9 ._,:()'-]{1,100}")) {
            throw new IllegalArgumentException("auth_realm '" + authRealm + "' may hold letters, digits, spaces and ._,:()'- only");
        }
        if (certName == null || !certName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("cert_name '" + certName + "' must be letters, digits and ._- (certbot's lineage name)");
        }
        if (bodySize == null || !bodySize.matches("[0-9]+[kKmMgG]?")) {
            throw new IllegalArgumentException("client_max_body_size '" + bodySize + "' must be a size such as 100m, 1g or 0 (unlimited)");
        }
        if (acmeWebroot == null || !acmeWebroot.matches("/[A-Za-z0-9._/@+-]*")) {
            throw new IllegalArgumentException("acme_webroot '" + acmeWebroot + "' must be an absolute path of letters, digits and ._/@+-");
        }
    }

    /** A DNS name, a {@code *.} wildcard one, or {@code localhost}. */
    public static boolean isServerName(String s) {
        return s != null && s.length() <= 253 && s.matches("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");
    }

    /** The vhost file's text: same inputs, same bytes. */
    public String render(Serving serving, boolean ipv6, NginxLayout layout) {
        StringBuilder s = new StringBuilder();
        s.append("# Managed by moat (nginx_vhost ").append(name).append("): edits are overwritten on the next run.\n");
        switch (serving) {
            case LOOPBACK:
                s.append("# tls: off - plain HTTP on loopback only; reach it through an SSH tunnel.\n");
                s.append("server {\n");
                listen(s, "127.0.0.1:" + httpPort, "");
                if (ipv6) listen(s, "[::1]:" + httpPort, "");
                serverName(s);
                proxyServer(s);
                break;
            case ACME_ONLY:
                s.append("# No certificate '").append(certName).append("' yet: port ").append(httpPort)
                        .append(" answers ACME challenges only and refuses the rest,\n")
                        .append("# so neither the password nor the service ever crosses plain HTTP. Rerun after certbot.\n");
                s.append("server {\n");
                listen(s, String.valueOf(httpPort), "");
                if (ipv6) listen(s, "[::]:" + httpPort, "");
                serverName(s);
                acme(s);
                s.append("    location / {\n        return 403;\n    }\n}\n");
                break;
            default:
                s.append("# HTTPS with certificate '").append(certName).append("'; port ").append(httpPort)
                        .append(" answers ACME challenges and redirects the rest.\n");
                s.append("server {\n");
                listen(s, String.valueOf(httpPort), "");
                if (ipv6) listen(s, "[::]:" + httpPort, "");
                serverName(s);
                acme(s);
                s.append("    location / {\n        return 301 https://$host").append(httpsPort == 443 ? "" : ":" + httpsPort)
                        .append("$request_uri;\n    }\n}\n\n");
                s.append("server {\n");
                listen(s, String.valueOf(httpsPort), " ssl");
                if (ipv6) listen(s, "[::]:" + httpsPort, " ssl");
                serverName(s);
                String live = layout.live(certName);
                s.append("    ssl_certificate ").append(live).append("/fullchain.pem;\n");
                s.append("    ssl_certificate_key ").append(live).append("/privkey.pem;\n");
                s.append("    ssl_protocols TLSv1.2 TLSv1.3;\n");
                s.append("    ssl_session_cache shared:moat_tls:10m;\n");
                s.append("    ssl_session_timeout 1d;\n");
                s.append("    ssl_session_tickets off;\n\n");
                proxyServer(s);
        }
        return s.toString();
    }

    private static void listen(StringBuilder s, String address, String flags) {
        s.append("    listen ").append(address).append(flags).append(";\n");
    }

    /** The challenge files certbot's webroot authenticator writes; no auth, the CA fetches them anonymously. */
    private void acme(StringBuilder s) {
        s.append("    location ^~ /.well-known/acme-challenge/ {\n");
        s.append("        root ").append(acmeWebroot).append(";\n");
        s.append("        default_type text/plain;\n");
        s.append("        try_files $uri =404;\n");
        s.append("    }\n\n");
    }

    private void serverName(StringBuilder s) {
        s.append("    server_name ").append(String.join(" ", serverNames)).append(";\n\n");
    }

    private void proxyServer(StringBuilder s) {
        s.append("    client_max_body_size ").append(bodySize).append(";\n\n");
        s.append("    location / {\n");
        if (authFile != null) {
            s.append("        auth_basic \"").append(authRealm).append("\";\n");
            s.append("        auth_basic_user_file ").append(authFile).append(";\n");
            // the vault's password stays at the vault: the service never sees (or logs) it
            s.append("        proxy_set_header Authorization \"\";\n");
        }
        s.append("        proxy_pass ").append(upstream.url()).append(";\n");
        s.append("        proxy_http_version 1.1;\n");
        s.append("        proxy_set_header Host $http_host;\n");
        s.append("        proxy_set_header X-Real-IP $remote_addr;\n");
        s.append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        s.append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
        s.append("        proxy_set_header Upgrade $http_upgrade;\n");
        s.append("        proxy_set_header Connection ").append(UPGRADE_VAR).append(";\n");
        s.append("        proxy_buffering off;\n");
        s.append("        proxy_read_timeout 3600s;\n");
        s.append("        proxy_send_timeout 3600s;\n");
        s.append("    }\n}\n");
    }
}
