package dev.moat.playbook;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a play's {@code serial:}: a number of hosts ({@code 5}) or a percentage of them
 * ({@code "20%"}). A list of steps ({@code [1, 5, "50%"]}) gives the batch sizes in order, the last
 * one repeating, as in Ansible.
 */
public record Serial(int value, boolean percent) {
    public Serial {
        if (percent ? value <= 0 || value > 100 : value <= 0) {
            throw new IllegalArgumentException("serial must be a positive number or a percentage 1%..100%, not " + value + (percent ? "%" : ""));
        }
    }

    /** The batch size this step gives for a play over {@code hosts} hosts (at least 1). */
    public int size(int hosts) {
        if (!percent) return value;
        return Math.max(1, hosts * value / 100);
    }

    /** The batch sizes for {@code hosts} hosts: all of them at once when {@code serial} is empty. */
    public static List<Integer> batches(List<Serial> serial, int hosts) {
        List<Integer> out = new ArrayList<>();
        if (hosts <= 0) return out;
        if (serial.isEmpty()) {
            out.add(hosts);
            return out;
        }
        int left = hosts;
        int i = 0;
        while (left > 0) {
            Serial s = serial.get(Math.min(i++, serial.size() - 1));
            int n = Math.min(left, s.size(hosts));
            out.add(n);
            left -= n;
        }
        return out;
    }

    @Override
    public String toString() {
        return percent ? value + "%" : String.valueOf(value);
    }
}
