package dev.moat.template.internal;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import dev.moat.template.TemplateException;

/** Python's {@code strptime} and {@code strftime} formats (the common directives) on java.time. */
final class PyDate {
    private PyDate() {}

    /** {@code datetime.strptime(text, format)}. */
    static LocalDateTime parse(String text, String format) {
        StringBuilder p = new StringBuilder();
        boolean hasTime = false;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                p.append(c == '\'' ? "''" : Character.isLetter(c) ? "'" + c + "'" : String.valueOf(c));
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'Y': p.append("yyyy"); break;
                case 'y': p.append("yy"); break;
                case 'm': p.append("MM"); break;
                case 'd': p.append("dd"); break;
                case 'H': p.append("HH"); hasTime = true; break;
                case 'I': p.append("hh"); hasTime = true; break;
                case 'p': p.append("a"); break;
                case 'M': p.append("mm"); hasTime = true; break;
                case 'S': p.append("ss"); hasTime = true; break;
                case 'f': p.append("SSSSSS"); break;
                case 'b': p.append("MMM"); break;
                case 'B': p.append("MMMM"); break;
                case 'j': p.append("DDD"); break;
                case '%': p.append('%'); break;
                default: throw new TemplateException("to_datetime: moat does not know the directive %" + d);
            }
        }
        try {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(p.toString(), Locale.ROOT);
            if (hasTime) return LocalDateTime.parse(text, f);
            return java.time.LocalDate.parse(text, f).atStartOfDay();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new TemplateException("time data '" + text + "' does not match format '" + format + "'");
        }
    }

    /** {@code time.strftime(format, t)}. */
    static String format(LocalDateTime t, String format) {
        return format(t, format, false);
    }

    /** {@code datetime.strftime(format)} of a naive datetime: {@code %z} and {@code %Z} are empty. */
    static String formatNaive(LocalDateTime t, String format) {
        return format(t, format, true);
    }

    private static String format(LocalDateTime t, String format, boolean naive) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'Y': out.append(t.getYear()); break;
                case 'y': out.append(two(t.getYear() % 100)); break;
                case 'm': out.append(two(t.getMonthValue())); break;
                case 'd': out.append(two(t.getDayOfMonth())); break;
                case 'e': out.append(String.format("%2d", t.getDayOfMonth())); break;
                case 'H': out.append(two(t.getHour())); break;
                case 'I': out.append(two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12)); break;
                case 'p': out.append(t.getHour() < 12 ? "AM" : "PM"); break;
                case 'M': out.append(two(t.getMinute())); break;
                case 'S': out.append(two(t.getSecond())); break;
                case 'j': out.append(String.format("%03d", t.getDayOfYear())); break;
                case 'a': out.append(t.format(DateTimeFormatter.ofPattern("EEE", Locale.ROOT))); break;
                case 'A': out.append(t.format(DateTimeFormatter.ofPattern("EEEE", Locale.ROOT))); break;
                case 'b': out.append(t.format(DateTimeFormatter.ofPattern("MMM", Locale.ROOT))); break;
                case 'B': out.append(t.format(DateTimeFormatter.ofPattern("MMMM", Locale.ROOT))); break;
                case 'F': out.append(format(t, "%Y-%m-%d", naive)); break;
                case 'T': out.append(format(t, "%H:%M:%S", naive)); break;
                case 'u': out.append(t.getDayOfWeek().getValue()); break;
                case 'w': out.append(t.getDayOfWeek().getValue() % 7); break;
                case '%': out.append('%'); break;
                case 'z': case 'Z':
                    if (!naive) throw new TemplateException("strftime: moat does not know the directive %" + d);
                    break;
                default: throw new TemplateException("strftime: moat does not know the directive %" + d);
            }
        }
        return out.toString();
    }

    /** Python's {@code str(datetime)}. */
    static String str(LocalDateTime t) {
        String s = format(t, "%Y-%m-%d %H:%M:%S");
        return t.getNano() == 0 ? s : s + String.format(".%06d", t.getNano() / 1000);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }
}
