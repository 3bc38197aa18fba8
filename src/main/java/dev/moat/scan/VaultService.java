package dev.moat.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a host's {@code vault_services} (harden-inference.yml's contract): an AI service's
 * name, its port on the host, and the DNS name its vault answers on.
 *
 * <pre>
 * vault_services:
 *   - {name: vllm, port: 8000, domain: api.h1.example.net}
 * </pre>
 */
public record VaultService(String name, int port, String domain) {
    public VaultService {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /**
     * The entries of a {@code vault_services} value as the inventory holds it (a list of maps);
     * entries without a usable port or domain are skipped, and {@code problems} hears why.
     */
    public static List<VaultService> fromVar(Object value, List<String> problems) {
        List<VaultService> out = new ArrayList<>();
        if (value == null) return out;
        if (!(value instanceof List<?> list)) {
            problems.add("vault_services is not a list");
            return out;
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                problems.add("vault_services entry " + o + " is not a mapping");
                continue;
            }
            String name = String.valueOf(m.get("name"));
            Object domain = m.get("domain");
            Object port = m.get("port");
            int p = 0;
            try {
                if (port != null) p = Integer.parseInt(String.valueOf(port).trim());
            } catch (NumberFormatException e) {
                problems.add("vault_services " + name + ": port '" + port + "' is not a number (template?)");
            }
            if (p < 0 || p > 65535) p = 0;
            String d = domain == null ? null : String.valueOf(domain).trim();
            if (d != null && (d.isEmpty() || d.contains("{{"))) {
                problems.add("vault_services " + name + ": domain '" + d + "' is not a plain name (templates are not rendered by scan)");
                d = null;
            }
            out.add(new VaultService(name, p, d));
        }
        return out;
    }
}
