package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A Python tuple, as {@code zip}, {@code dictsort}, {@code items()} and {@code splitext} return:
 * a list everywhere except when printed ({@code (1, 'a')}, as Ansible prints it).
 */
public final class Tuple extends ArrayList<Object> {
    public Tuple(Collection<?> items) {
        super(items);
    }

    public static Tuple of(Object... items) {
        return new Tuple(List.of(items));
    }
}
