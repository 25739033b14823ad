package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The hash index grows with the entries pending, not with the bound, and loses nothing as it does. */
class PendingTableTest {
    private static final long TAG = PendingTable.tag(Kind.UDP, 0);

    @Test
    void indexGrowsWithEntriesAndEveryEntryStaysFindable() {
        PendingTable t = new PendingTable(65_536, FlowHash.seeded(7));
        assertEquals(PendingTable.INITIAL_BUCKETS, t.bucketCount());
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            t.insert(hash(t, i), 0, i, 1, 2, PendingTable.ports(1000 + (i & 0x7FFF), 53), TAG, i);
        }
        // Doubled from 1 024 while 2 × size exceeded the buckets: 32 768 for 10 000 entries.
        assertEquals(32_768, t.bucketCount());
        for (int i = 0; i < n; i++) {
            assertNotEquals(PendingTable.NONE, find(t, i), "entry " + i);
        }
        // Remove every other one after the growth: chains stay consistent.
        for (int i = 0; i < n; i += 2) {
            t.remove(find(t, i));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i % 2 == 0, find(t, i) == PendingTable.NONE, "entry " + i);
        }
        assertEquals(n / 2, t.size());
    }

    @Test
    void indexNeverExceedsFourBucketsPerEntryOfTheCapacity() {
        PendingTable t = new PendingTable(100, FlowHash.seeded(7));
        assertEquals(256, t.bucketCount()); // highestOneBit(100) × 4 is below the initial size
        PendingTable full = new PendingTable(600, FlowHash.seeded(7));
        for (int i = 0; i < 600; i++) {
            full.insert(hash(full, i), 0, i, 1, 2, PendingTable.ports(1000 + (i & 0x7FFF), 53), TAG, i);
        }
        assertEquals(2048, full.bucketCount());
        for (int i = 0; i < 600; i++) {
            assertNotEquals(PendingTable.NONE, find(full, i));
        }
    }

    @Test
    void constantHashStillFindsEveryEntryAcrossGrowth() {
        PendingTable t = new PendingTable(4096, (a, b, c, d, e, f) -> 42);
        for (int i = 0; i < 3000; i++) {
            t.insert(hash(t, i), 0, i, 1, 2, PendingTable.ports(1000 + (i & 0x7FFF), 53), TAG, i);
        }
        for (int i = 0; i < 3000; i++) {
            assertNotEquals(PendingTable.NONE, find(t, i));
        }
    }

    private static int hash(PendingTable t, int i) {
        return t.hash(0, i, 1, 2, PendingTable.ports(1000 + (i & 0x7FFF), 53), TAG);
    }

    private static int find(PendingTable t, int i) {
        return t.find(hash(t, i), 0, i, 1, 2, PendingTable.ports(1000 + (i & 0x7FFF), 53), TAG);
    }
}
