package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/** serial's batch sizes as Ansible computes them: numbers, percentages of all the play's hosts, lists whose last step repeats. */
class SerialTest {
    private static List<Integer> batches(int hosts, Serial... serial) {
        return Serial.batches(List.of(serial), hosts);
    }

    private static Serial n(int v) {
        return new Serial(v, false);
    }

    private static Serial pct(int v) {
        return new Serial(v, true);
    }

    @Test
    void noSerialIsOneBatchOfEveryHost() {
        assertEquals(List.of(7), batches(7));
        assertEquals(List.of(), batches(0), "no hosts, no batch");
        assertEquals(List.of(), batches(0, n(2)));
    }

    @Test
    void aNumberIsTheBatchSizeAndTheLastBatchTakesWhatIsLeft() {
        assertEquals(List.of(2, 2, 1), batches(5, n(2)));
        assertEquals(List.of(3), batches(3, n(10)), "a batch larger than the play is all of it");
        assertEquals(List.of(1, 1, 1), batches(3, n(1)));
    }

    @Test
    void aPercentageIsOfAllTheHostsRoundedDownButAtLeastOne() {
        assertEquals(List.of(2, 2, 2, 2, 2), batches(10, pct(20)));
        assertEquals(List.of(1, 1, 1), batches(3, pct(50)), "1.5 rounds down to 1");
        assertEquals(List.of(1, 1), batches(2, pct(10)), "0.2 hosts is still one");
        assertEquals(List.of(4), batches(4, pct(100)));
    }

    @Test
    void aListGivesSizesInOrderTheLastRepeating() {
        assertEquals(List.of(1, 5, 5, 5, 4), batches(20, n(1), n(5)));
        assertEquals(List.of(1, 2, 5, 2), batches(10, n(1), n(2), pct(50)));
        assertEquals(List.of(1, 2), batches(3, n(1), n(5)), "the list stops when hosts run out");
    }

    @Test
    void invalidStepsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> n(0));
        assertThrows(IllegalArgumentException.class, () -> pct(0));
        assertThrows(IllegalArgumentException.class, () -> pct(101));
        assertEquals("20%", pct(20).toString());
        assertEquals("5", n(5).toString());
    }
}
