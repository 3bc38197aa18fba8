package dev.moat.module;

/**
 * How a changed resource invalidates fact keys. Keys are {@code KIND:RESOURCE}; modules' plans touch
 * {@code file:PATH}, {@code pkg:NAME}, {@code service:NAME} or {@code "*"}. A key whose resource is an
 * absolute path ({@code file:/etc/motd}, {@code exists:}, {@code tree:}, or a module's own kind such as
 * {@code stat+sha1:/etc/motd}) is path-based. A touch invalidates a fact when it is {@code "*"}, equals
 * the key, or, both being path-based, names the same path or one above it — or when the fact is a tree
 * containing the touched path. {@code pkg:NAME} also invalidates {@code aptpolicy:NAME} and
 * {@code aptavail:NAME}; an {@code apt-get update} ({@code apt:cache}) invalidates both kinds. A key of kind
 * {@code host:} reads the host as a whole (the {@code exposure} audit): every touch invalidates it. (A plan
 * that risks SSH touches {@link Risk#SSHD_PORTS} itself: see {@link Plan.Builder#risk}.)
 */
public final class FactKeys {
    private FactKeys() {}

    /** The kind of a fact that reads the host as a whole, stale after any change. */
    public static final String HOST = "host:";

    /** Whether a plan that touches {@code touched} makes the fact {@code key} stale. */
    public static boolean invalidates(String touched, String key) {
        if (touched.equals("*") || touched.equals(key) || key.startsWith(HOST)) return true;
        String tp = path(touched);
        String kp = path(key);
        if (tp != null && kp != null) {
            if (under(kp, tp)) return true;
            return key.startsWith("tree:") && under(tp, kp);
        }
        if (touched.equals("apt:cache") && (key.startsWith("aptpolicy:") || key.startsWith("aptavail:"))) return true;
        if (touched.startsWith("pkg:") && key.startsWith("aptpolicy:")) {
            String k = key.substring(10);
            return touched.substring(4).equals(k.indexOf('@') < 0 ? k : k.substring(0, k.indexOf('@')));
        }
        if (touched.startsWith("pkg:") && key.startsWith("aptavail:")) return touched.substring(4).equals(key.substring(9));
        return false;
    }

    /** The path a path-based key names, else null; any kind qualifies, so a new module's read needs no entry here. */
    private static String path(String key) {
        int colon = key.indexOf(':');
        return colon > 0 && key.startsWith("/", colon + 1) ? key.substring(colon + 1) : null;
    }

    /** Whether {@code p} is {@code root} or inside it. */
    private static boolean under(String p, String root) {
        if (p.equals(root)) return true;
        String r = root.endsWith("/") ? root : root + "/";
        return p.startsWith(r);
    }
}
