package dev.moat.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code parse_address} (ansible/parsing/utils/addresses.py): is a string a host name,
 * IPv4 or IPv6 address (ranges allowed), with an optional {@code :port}? The regular expressions
 * are Ansible's, translated; their quirks (an IPv6 check that only anchors some alternatives) are
 * kept on purpose, because host-pattern splitting depends on them.
 */
final class Address {
    private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$", Pattern.CASE_INSENSITIVE);
    /** Python's {@code ^a|b|...|z$} with re.match: the first alternative is anchored at both ends, the rest only at the start. */
    private static final Pattern IPV6 = Pattern.compile(
            "^(?:" + V6 + ":){7}" + V6 + "$"
                    + "|(?:" + V6 + ":){1,6}:"
                    + "|(?:" + V6 + ":)(?::" + V6 + "){1,6}"
                    + "|(?:" + V6 + ":){2}(?::" + V6 + "){1,5}"
                    + "|(?:" + V6 + ":){3}(?::" + V6 + "){1,4}"
                    + "|(?:" + V6 + ":){4}(?::" + V6 + "){1,3}"
                    + "|(?:" + V6 + ":){5}(?::" + V6 + "){1,2}"
                    + "|(?:" + V6 + ":){6}(?::" + V6 + ")"
                    + "|:(?::" + V6 + "){1,6}"
                    + "|" + V6 + "?::"
                    + "|(?:0:){6}(?:" + V6 + "\\.){3}" + V6
                    + "|::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6
                    + "|(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6 + "$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);

    /** A parsed address: the host part (may hold ranges) and the port, or null. */
    record HostPort(String host, Integer port) {}

    private Address() {}

    /** Ansible's parse_address(allow_ranges=True); null where Ansible raises "Not a valid network hostname". */
    static HostPort parse(String address) {
        String host = address;
        Integer port = null;
        for (Pattern p : new Pattern[] {BRACKETED_HOSTPORT, HOSTPORT}) {
            Matcher m = p.matcher(host);
            if (m.matches()) {
                host = m.group(1);
                try {
                    port = Integer.valueOf(m.group(2));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).lookingAt() || HOSTNAME.matcher(host).matches()) {
            return new HostPort(host, port);
        }
        return null;
    }

    /** True for an IPv4 or IPv6 address, as Ansible's inventory_hostname_short decides. */
    static boolean isIp(String name) {
        return IPV4.matcher(name).matches() || IPV6.matcher(name).lookingAt();
    }
}
