package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DnsHeaderTest {
    private static int word(int id, int flags) { return id << 16 | flags; }

    @Test
    void onlyAssignedOpcodesAreDns() {
        for (int opcode = 0; opcode < 16; opcode++) {
            boolean assigned = opcode <= 6 && opcode != 3;
            assertEquals(assigned, DnsHeader.isDns(word(1, opcode << 11), 12, 40000, 53), "opcode " + opcode);
        }
    }

    @Test
    void needsAWholeHeader() {
        assertFalse(DnsHeader.isDns(word(1, 0x0100), 11, 40000, 53));
        assertTrue(DnsHeader.isDns(word(1, 0x0100), 12, 40000, 53));
    }

    @Test
    void queriesGoToPort53AndResponsesComeFromIt() {
        assertTrue(DnsHeader.isDns(word(1, 0x0100), 40, 40000, 53));
        assertFalse(DnsHeader.isDns(word(1, 0x0100), 40, 53, 40000));
        assertTrue(DnsHeader.isDns(word(1, 0x8180), 40, 53, 40000));
        assertFalse(DnsHeader.isDns(word(1, 0x8180), 40, 40000, 53));
        assertTrue(DnsHeader.isDns(word(1, 0x0100), 40, 53, 53));
        assertTrue(DnsHeader.isDns(word(1, 0x8180), 40, 53, 53));
    }

    @Test
    void fields() {
        int w = word(0xBEEF, 0x8180 | 5 << 11);
        assertEquals(0xBEEF, DnsHeader.id(w));
        assertTrue(DnsHeader.isResponse(w));
        assertEquals(5, DnsHeader.opcode(w));
        assertFalse(DnsHeader.isResponse(word(0xFFFF, 0x0100)));
    }
}
