package dev.moat;

/**
 * IPv6 text in RFC 5952's short form: lower-case hex groups, the longest run of two or more zero
 * groups written as {@code ::} (the first such run when two are as long). One place for the scan's
 * addresses and the templates' {@code ipaddr} filters, which print them the same way.
 */
public final class Ipv6Text {
    private Ipv6Text() {}

    /** The eight 16-bit {@code groups} of an address as text. */
    public static String of(int[] groups) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
