package dev.moat.compose;

/** A port or an inclusive range of ports, {@code 8000} or {@code 8000-8010}. */
public record PortRange(int start, int end) {
    public PortRange {
        if (start < 0 || end > 65535 || end < start) throw new IllegalArgumentException("bad port range " + start + "-" + end);
    }

    public static PortRange parse(String s) throws PortSyntaxException {
        String t = s.trim();
        int dash = t.indexOf('-');
        try {
            int a = Integer.parseInt(dash < 0 ? t : t.substring(0, dash));
            int b = dash < 0 ? a : Integer.parseInt(t.substring(dash + 1));
            if (!t.matches("[0-9]+(-[0-9]+)?")) throw new NumberFormatException();
            return new PortRange(a, b);
        } catch (IllegalArgumentException e) {
            throw new PortSyntaxException("'" + s + "' is not a port or port range");
        }
    }

    public int size() {
        return end - start + 1;
    }

    public boolean overlaps(PortRange o) {
        return start <= o.end && o.start <= end;
    }

    @Override
    public String toString() {
        return start == end ? Integer.toString(start) : start + "-" + end;
    }
}
