package dev.moat.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Ansible's host-range expansion ({@code expand_hostname_range}): {@code gpu-[01:20].example.net}
 * (zero padding kept when the start has a leading zero), {@code h[a:c]}, {@code n[1:10:2]} (step),
 * {@code [:5]} (start 0), several ranges in one name. Unlike Ansible, a range that expands to
 * nothing ({@code [5:1]}) is an error rather than a silently empty group.
 */
final class HostRange {
    private static final int MAX_HOSTS = 100_000;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** A pattern that cannot be expanded; the loader adds the file:line:column. */
    static final class BadRange extends RuntimeException {
        BadRange(String message) {
            super(message);
        }
    }

    /** The host names and the port a host key of an inventory stands for. */
    record Expansion(List<String> names, Integer port) {}

    private HostRange() {}

    /** Ansible's _expand_hostpattern: splits an optional :port, then expands ranges. */
    static Expansion expandPattern(String hostPattern) {
        Address.HostPort hp = Address.parse(hostPattern);
        String pattern = hp == null ? hostPattern : hp.host();
        Integer port = hp == null ? null : hp.port();
        List<String> names = pattern.contains("[") ? expand(pattern) : List.of(pattern);
        return new Expansion(names, port);
    }

    static List<String> expand(String line) {
        String marked = line.replaceFirst("\\[", "|").replaceFirst("]", "|");
        String[] parts = marked.split("\\|", -1);
        if (parts.length != 3) {
            throw new BadRange("host range in '" + line + "' must be one [begin:end] or [begin:end:step] per bracket pair");
        }
        String head = parts[0];
        String tail = parts[2];
        String[] bounds = parts[1].split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new BadRange("host range [" + parts[1] + "] must be begin:end or begin:end:step");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) throw new BadRange("host range [" + parts[1] + "] must specify an end value");
        int step = 1;
        if (bounds.length == 3) step = integer(bounds[2], parts[1]);
        if (step <= 0) throw new BadRange("host range [" + parts[1] + "] must have a positive step");
        int width = 0;
        if (beg.charAt(0) == '0' && beg.length() > 1) {
            if (beg.length() != end.length()) {
                throw new BadRange("host range [" + parts[1] + "] must have begin and end of equal length (zero padding)");
            }
            width = beg.length();
        }
        List<String> seq = new ArrayList<>();
        int ib = LETTERS.indexOf(beg);
        int ie = LETTERS.indexOf(end);
        if (ib >= 0 && ie >= 0) {
            if (ib > ie) throw new BadRange("host range [" + parts[1] + "] must have begin <= end");
            for (int i = ib; i <= ie; i += step) seq.add(String.valueOf(LETTERS.charAt(i)));
        } else {
            int b = integer(beg, parts[1]);
            int e = integer(end, parts[1]);
            for (long i = b; i <= e; i += step) {
                if (seq.size() >= MAX_HOSTS) throw new BadRange("host range [" + parts[1] + "] expands to more than " + MAX_HOSTS + " hosts");
                seq.add(pad(i, width));
            }
        }
        if (seq.isEmpty()) throw new BadRange("host range [" + parts[1] + "] is empty (begin is after end)");
        List<String> out = new ArrayList<>();
        for (String s : seq) {
            String name = head + s + tail;
            if (name.contains("[")) out.addAll(expand(name));
            else out.add(name);
        }
        return out;
    }

    private static int integer(String s, String range) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new BadRange("host range [" + range + "]: '" + s + "' is neither a number nor a single letter");
        }
    }

    /** Python's str(x).zfill(width). */
    private static String pad(long x, int width) {
        String s = Long.toString(Math.abs(x));
        StringBuilder b = new StringBuilder();
        if (x < 0) b.append('-');
        for (int i = s.length() + (x < 0 ? 1 : 0); i < width; i++) b.append('0');
        return b.append(s).toString();
    }
}
