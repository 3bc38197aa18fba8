package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListingTest {
    private static final String SUM_A = "a".repeat(64);
    private static final String SUM_B = "b".repeat(64);

    private static String sample(String sum, String mode) {
        return "M\td\t755\troot:root\t/etc\t\n"
                + "M\tf\t" + mode + "\troot:root\t/etc/hosts\t\n"
                + "M\tl\t777\troot:root\t/etc/mtab\t../proc/self/mounts\n"
                + "S\t" + sum + "  /etc/hosts\n";
    }

    @Test
    void parsesTypeModeOwnerLinkAndChecksum() {
        Listing l = Listing.parse(sample(SUM_A, "644"));
        assertEquals("f 644 root:root sha256:" + SUM_A, l.entries().get("/etc/hosts"));
        assertEquals("l 777 root:root -> ../proc/self/mounts", l.entries().get("/etc/mtab"));
        assertEquals("d 755 root:root", l.entries().get("/etc"));
    }

    @Test
    void identicalListingsHaveNoDifferences() {
        assertEquals(List.of(), Listing.parse(sample(SUM_A, "644")).differences(Listing.parse(sample(SUM_A, "644"))));
    }

    @Test
    void reportsChangedContentModeAddedAndRemovedPaths() {
        Listing before = Listing.parse(sample(SUM_A, "644"));
        assertEquals(1, before.differences(Listing.parse(sample(SUM_B, "644"))).size());
        List<String> mode = before.differences(Listing.parse(sample(SUM_A, "600")));
        assertTrue(mode.get(0).startsWith("changed /etc/hosts"), mode.toString());
        Listing after = Listing.parse(sample(SUM_A, "644") + "M\tf\t600\troot:root\t/etc/new\t\nS\t" + SUM_B + "  /etc/new\n");
        assertEquals(List.of("added   /etc/new  f 600 root:root sha256:" + SUM_B), before.differences(after));
        assertEquals(List.of("removed /etc/new  f 600 root:root sha256:" + SUM_B), after.differences(before));
        assertEquals(List.of(), after.without(p -> p.equals("/etc/new")).differences(before));
    }

    @Test
    void rejectsGarbageAndUnsafePaths() {
        assertThrows(IllegalArgumentException.class, () -> Listing.parse("hello\n"));
        assertThrows(IllegalArgumentException.class, () -> Listing.script("/etc; rm -rf /"));
        assertThrows(IllegalArgumentException.class, () -> Listing.script("etc"));
    }
}
