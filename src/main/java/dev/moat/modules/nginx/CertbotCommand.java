package dev.moat.modules.nginx;

import dev.moat.transport.Sh;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code certbot certonly} run: obtains (or renews) a certificate and never installs it, so no
 * Nginx file is ever edited by certbot ({@code nginx_vhost} owns them). With the {@code nginx}
 * authenticator certbot only adds a temporary challenge location and removes it again.
 *
 * @param caBundle   the CA bundle on the host that certbot trusts the ACME server with, or null for the system's
 * @param renew      the lineage exists and covers the domains but is due: force the renewal, then run {@code afterRenew}
 * @param afterRenew a command run after a successful renewal (the deploy hook, which certbot runs only on {@code renew}), or null
 */
public record CertbotCommand(String certName, List<String> domains, String email, String server, boolean staging,
                             String authenticator, String webroot, String keyType, String caBundle, boolean renew,
                             String afterRenew) {
    public CertbotCommand {
        domains = List.copyOf(domains);
        if (domains.isEmpty()) throw new IllegalArgumentException("domains required");
        if (!authenticator.equals("webroot") && !authenticator.equals("nginx")) throw new IllegalArgumentException(authenticator);
        if (staging && server != null) throw new IllegalArgumentException("staging and server exclude each other");
    }

    /** The command's words, quoted for sh. */
    public List<String> argv() {
        List<String> a = new ArrayList<>(List.of("certbot", "certonly", "--non-interactive", "--agree-tos", "--no-eff-email",
                "-m", email, "--cert-name", certName, "--key-type", keyType));
        for (String d : domains) {
            a.add("-d");
            a.add(d);
        }
        if (authenticator.equals("webroot")) {
            a.add("--webroot");
            a.add("-w");
            a.add(webroot);
        } else {
            a.add("--nginx");
        }
        if (server != null) {
            a.add("--server");
            a.add(server);
        }
        if (staging) a.add("--staging");
        if (renew) a.add("--force-renewal");
        return a;
    }

    /** The command line, with the CA bundle in its environment when one is used. */
    public String commandLine() {
        StringBuilder s = new StringBuilder();
        if (caBundle != null) s.append("REQUESTS_CA_BUNDLE=").append(Sh.q(caBundle)).append(' ');
        List<String> argv = argv();
        for (int i = 0; i < argv.size(); i++) s.append(i == 0 ? "" : " ").append(Sh.q(argv.get(i)));
        return s.toString();
    }

    /**
     * The step: runs certbot with its output kept in a private temp file; on failure prints one
     * paragraph on stderr naming the certificate, the domains, the server and certbot's own
     * reason (the CA's {@code Domain:}/{@code Type:}/{@code Detail:} lines, errors, hints), and
     * exits 1. Certbot never prints keys; lines mentioning a private key are dropped all the same.
     */
    public String script() {
        String where = server != null ? server : staging ? "Let's Encrypt staging" : "Let's Encrypt";
        String head = "certbot could not obtain certificate " + certName + " for " + String.join(", ", domains) + " from " + where + ":";
        StringBuilder s = new StringBuilder();
        s.append("command -v certbot >/dev/null 2>&1 || { echo ").append(Sh.q("certbot is not installed on this host (Debian package certbot"
                + (authenticator.equals("nginx") ? " and python3-certbot-nginx" : "") + ")")).append(" >&2; exit 1; }\n");
        s.append("log=$(mktemp) || exit 1\n");
        s.append("trap 'rm -f -- \"$log\"' EXIT\n");
        // One retry when certbot itself crashed ("An unexpected error occurred", seen here as a
        // sporadic AttributeError inside certbot); an answer from the CA is not retried.
        s.append("for attempt in 1 2; do\n");
        s.append("  if ").append(commandLine()).append(" >\"$log\" 2>&1; then\n");
        if (afterRenew != null) s.append("    ").append(afterRenew).append('\n');
        s.append("    exit 0\n");
        s.append("  fi\n");
        s.append("  grep -q 'An unexpected error occurred' \"$log\" || break\n");
        s.append("  sleep 2\n");
        s.append("done\n");
        s.append("why=$(grep -v -i -e 'private key' -e 'Saving debug log' -e 'Ask for help' -e 'See the logfile' -e '^[[:space:]]*$' \"$log\" |"
                + " grep -E -i -e '^[[:space:]]*(Domain|Type|Detail|Hint):' -e 'error' -e 'fail' -e 'problem' -e 'unable' -e 'could not' -e 'refused' -e 'timeout' |"
                + " sed 's/^[[:space:]]*//' | head -n 12 | tr '\\n' ' ' | sed 's/ *$//')\n");
        s.append("[ -n \"$why\" ] || why=$(grep -v -i -e 'private key' -e 'Saving debug log' -e 'Ask for help' -e '^[[:space:]]*$' \"$log\" | tail -n 5 | tr '\\n' ' ' | sed 's/ *$//')\n");
        s.append("printf '%s %s\\n' ").append(Sh.q(head)).append(" \"$why\" | cut -c 1-2000 >&2\n");
        s.append("exit 1");
        return s.toString();
    }
}
