package dev.moat.modules.nginx;

/**
 * Where nginx and certbot keep their files on a host, and how nginx is tested and reloaded. The
 * modules use {@link #DEBIAN}; tests point a layout at a scratch directory and a private
 * {@code nginx -t -p DIR -c DIR/nginx.conf} so the real step scripts run without touching
 * {@code /etc}.
 *
 * @param etc         nginx's configuration directory ({@code sites-available}, {@code sites-enabled}, {@code conf.d})
 * @param letsencrypt certbot's directory ({@code live/NAME/fullchain.pem})
 * @param test        the command that checks nginx's whole configuration
 * @param reload      the script that makes a running nginx load its configuration, or starts it
 */
public record NginxLayout(String etc, String letsencrypt, String test, String reload) {
    /**
     * Reloads nginx through systemd where systemd runs (starting it if it is not active), else
     * through its pidfile ({@code /run/nginx.pid}, Debian's {@code pid} directive), else starts it.
     */
    public static final String RELOAD = "if [ -d /run/systemd/system ]; then\n"
            + "  if systemctl is-active --quiet nginx; then systemctl reload nginx; else systemctl start nginx; fi\n"
            + "elif [ -s /run/nginx.pid ] && kill -0 \"$(cat /run/nginx.pid)\" 2>/dev/null; then\n"
            + "  nginx -s reload\n"
            + "else\n"
            + "  nginx\n"
            + "fi";

    public static final NginxLayout DEBIAN = new NginxLayout("/etc/nginx", "/etc/letsencrypt", "nginx -t", RELOAD);

    public NginxLayout {
        if (etc == null || !etc.startsWith("/") || letsencrypt == null || !letsencrypt.startsWith("/")) {
            throw new IllegalArgumentException("absolute directories required: " + etc + ", " + letsencrypt);
        }
        if (test == null || test.isBlank() || reload == null || reload.isBlank()) {
            throw new IllegalArgumentException("test and reload commands required");
        }
    }

    public String available(String name) {
        return etc + "/sites-available/" + name;
    }

    public String enabled(String name) {
        return etc + "/sites-enabled/" + name;
    }

    /** The http-context file holding the WebSocket {@code map} every moat vhost uses. */
    public String upgradeMap() {
        return etc + "/conf.d/moat-upgrade-map.conf";
    }

    /** The directory of certificate lineage {@code certName}: {@code fullchain.pem}, {@code privkey.pem}, {@code cert.pem}. */
    public String live(String certName) {
        return letsencrypt + "/live/" + certName;
    }
}
