package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HostRangeTest {
    private static List<String> names(String pattern) {
        return HostRange.expandPattern(pattern).names();
    }

    @Test
    void zeroPaddedNumericRangeKeepsItsWidth() {
        assertEquals(List.of("gpu-08.example.net", "gpu-09.example.net", "gpu-10.example.net"), names("gpu-[08:10].example.net"));
        assertEquals(20, names("gpu-[01:20].example.net").size());
        assertEquals("gpu-20.example.net", names("gpu-[01:20].example.net").get(19));
    }

    @Test
    void unpaddedRangeAndOmittedStart() {
        assertEquals(List.of("n8", "n9", "n10"), names("n[8:10]"));
        assertEquals(List.of("n0", "n1", "n2"), names("n[:2]"));
    }

    @Test
    void stepAndLetters() {
        assertEquals(List.of("h1", "h3", "h5", "h7", "h9"), names("h[1:10:2]"));
        assertEquals(List.of("ha", "hb", "hc"), names("h[a:c]"));
        assertEquals(List.of("ha", "hc"), names("h[a:c:2]"));
    }

    @Test
    void severalRangesMultiply() {
        assertEquals(List.of("r1-a", "r1-b", "r2-a", "r2-b"), names("r[1:2]-[a:b]"));
    }

    @Test
    void portSuffixIsSplitOff() {
        HostRange.Expansion e = HostRange.expandPattern("db.example.net:2222");
        assertEquals(List.of("db.example.net"), e.names());
        assertEquals(2222, e.port());
        HostRange.Expansion r = HostRange.expandPattern("web[1:2]:22");
        assertEquals(List.of("web1", "web2"), r.names());
        assertEquals(22, r.port());
        HostRange.Expansion v6 = HostRange.expandPattern("[fe80::1]:2200");
        assertEquals(List.of("fe80::1"), v6.names());
        assertEquals(2200, v6.port());
        assertNull(HostRange.expandPattern("fe80::1").port());
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), names("10.0.0.[1:2]"));
    }

    @Test
    void badRangesAreRefused() {
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[01:100]")).getMessage().contains("equal length"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[1]")).getMessage().contains("begin:end"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[1:]")).getMessage().contains("end value"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[5:1]")).getMessage().contains("empty"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[c:a]")).getMessage().contains("begin <= end"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[1:x]")).getMessage().contains("neither a number"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[1:3:0]")).getMessage().contains("positive step"));
        assertTrue(assertThrows(HostRange.BadRange.class, () -> names("h[1:2")).getMessage().contains("one [begin:end]"));
    }
}
