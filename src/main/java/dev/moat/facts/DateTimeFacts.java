package dev.moat.facts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Ansible's {@code date_time} dict, from the host's {@code date} (local time, zone, epoch) and its UTC time. */
final class DateTimeFacts {
    private DateTimeFacts() {}

    static Map<String, Object> parse(String text) {
        List<String> l = HostFactsParser.lines(text);
        Map<String, Object> d = new TreeMap<>();
        if (l.size() < 2) return d;
        String[] w = l.get(0).trim().split("\\s+");
        String[] u = l.get(1).trim().split("\\s+");
        if (w.length < 13 || u.length < 2) return d;
        String micro = w[12].length() >= 6 ? w[12].substring(0, 6) : w[12];
        d.put("year", w[0]);
        d.put("month", w[1]);
        d.put("day", w[2]);
        d.put("hour", w[3]);
        d.put("minute", w[4]);
        d.put("second", w[5]);
        d.put("weekday", w[6]);
        d.put("weekday_number", w[7]);
        d.put("weeknumber", w[8]);
        d.put("tz", w[9]);
        d.put("tz_dst", w[9]);
        d.put("tz_offset", w[10]);
        d.put("epoch", w[11]);
        d.put("epoch_int", w[11]);
        d.put("date", w[0] + "-" + w[1] + "-" + w[2]);
        d.put("time", w[3] + ":" + w[4] + ":" + w[5]);
        d.put("iso8601", u[0]);
        d.put("iso8601_micro", u[0].substring(0, u[0].length() - 1) + "." + micro + "Z");
        d.put("iso8601_basic", w[0] + w[1] + w[2] + "T" + w[3] + w[4] + w[5] + micro);
        d.put("iso8601_basic_short", w[0] + w[1] + w[2] + "T" + w[3] + w[4] + w[5]);
        return d;
    }
}
