package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.match.Kind;
import org.junit.jupiter.api.Test;

class ServerTableTest {

    @Test
    void slotsAreStableAndKeysTellKindAddressAndPortApart() {
        ServerTable t = new ServerTable(8);
        assertEquals(0, t.slotOf(Kind.TCP, 0, 1, 80));
        assertEquals(1, t.slotOf(Kind.TCP, 0, 1, 81));
        assertEquals(2, t.slotOf(Kind.UDP, 0, 1, 80));
        assertEquals(3, t.slotOf(Kind.TCP, 1, 1, 80));
        assertEquals(4, t.slotOf(Kind.TCP, 0, 2, 80));
        assertEquals(0, t.slotOf(Kind.TCP, 0, 1, 80));
        assertEquals(3, t.slotOf(Kind.TCP, 1, 1, 80));
        assertEquals(new ServerKey(Kind.UDP, 0, 1, 80), t.key(2));
        assertEquals(5, t.size());
    }

    @Test
    void fullTableStillFindsWhatItHoldsAndRefusesNewServers() {
        ServerTable t = new ServerTable(1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, t.slotOf(Kind.DNS, 0, 0xFFFF_0000_0000L | i, 53));
        }
        assertEquals(ServerTable.FULL, t.slotOf(Kind.DNS, 0, 0xFFFF_0000_0000L | 1000, 53));
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, t.slotOf(Kind.DNS, 0, 0xFFFF_0000_0000L | i, 53));
        }
        assertEquals(1000, t.size());
    }
}
