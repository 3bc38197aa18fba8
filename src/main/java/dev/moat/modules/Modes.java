package dev.moat.modules;

/**
 * File modes as chmod reads them: octal ("0644") or symbolic ("u=rw,g=r,o=", "a+X"), applied to a
 * current mode so a plan can tell whether {@code chmod} would change anything.
 */
final class Modes {
    private Modes() {}

    /** The mode {@code chmod spec} gives a path whose mode is {@code current}; octal text in, octal text out. */
    static String apply(String spec, String current, boolean directory) {
        int cur = current == null ? 0 : Integer.parseInt(current, 8);
        return String.format("%04o", apply(spec, cur, directory));
    }

    static int apply(String spec, int current, boolean directory) {
        if (spec.matches("[0-7]{1,4}")) {
            // GNU chmod keeps a directory's setuid/setgid bits under a numeric mode of up to 4 digits.
            int m = Integer.parseInt(spec, 8);
            return directory ? m | (current & 06000) : m;
        }
        int mode = current;
        for (String clause : spec.split(",")) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                char c = clause.charAt(i++);
                if (c == 'u') who |= 04700;
                else if (c == 'g') who |= 02070;
                else if (c == 'o') who |= 01007;
                else who |= 07777;
            }
            if (who == 0) who = 07777;
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                int bits = 0;
                while (i < clause.length() && "rwxXst".indexOf(clause.charAt(i)) >= 0) {
                    char p = clause.charAt(i++);
                    if (p == 'r') bits |= 0444;
                    else if (p == 'w') bits |= 0222;
                    else if (p == 'x') bits |= 0111;
                    else if (p == 'X') bits |= (directory || (current & 0111) != 0) ? 0111 : 0;
                    else if (p == 's') bits |= 06000;
                    else bits |= 01000;
                }
                bits &= who;
                if (op == '+') mode |= bits;
                else if (op == '-') mode &= ~bits;
                else if (op == '=') mode = (mode & ~(who & (directory ? 01777 : 07777))) | bits;
                else throw new IllegalArgumentException("bad mode " + spec);
            }
        }
        return mode;
    }
}
