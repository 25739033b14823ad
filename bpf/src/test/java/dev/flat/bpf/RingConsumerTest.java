package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ring protocol over plain memory laid out as the kernel lays it out (kernel/bpf/ringbuf.c),
 * including the double mapping: bytes written past the end of data also appear at its start.
 */
class RingConsumerTest {
    private static final int SIZE = 4096;
    private static final int RECORD = RingConsumer.HEADER_LENGTH + EventRecord.ENCODED_LENGTH;

    private final ByteBuffer consumerPage = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer producerPage = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer data = ByteBuffer.allocateDirect(2 * SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final RingConsumer ring = new RingConsumer(consumerPage, producerPage, data, SIZE);
    private final List<Long> seen = new ArrayList<>();
    private long producerPos;

    @Test
    void deliversCommittedRecordsInOrderAndReleasesTheirSpace() {
        append(event(1), 0);
        append(event(2), 0);
        assertTrue(ring.hasData());
        assertEquals(2, ring.drain(e -> seen.add(e.tsNs())));
        assertEquals(List.of(1L, 2L), seen);
        assertEquals(2L * RECORD, consumerPage.getLong(0));
        assertFalse(ring.hasData());
        assertEquals(0, ring.drain(e -> seen.add(e.tsNs())));
    }

    @Test
    void stopsAtARecordStillBeingWrittenAndResumesOnceCommitted() {
        append(event(1), 0);
        long busyAt = append(event(2), RingConsumer.BUSY_BIT);
        append(event(3), 0);
        assertEquals(1, ring.drain(e -> seen.add(e.tsNs())));
        assertEquals(RECORD, consumerPage.getLong(0), "the busy record keeps its space");
        header(busyAt, EventRecord.ENCODED_LENGTH);
        assertEquals(2, ring.drain(e -> seen.add(e.tsNs())));
        assertEquals(List.of(1L, 2L, 3L), seen);
    }

    @Test
    void skipsDiscardedRecordsWithoutCountingThem() {
        append(event(1), RingConsumer.DISCARD_BIT);
        append(event(2), 0);
        assertEquals(1, ring.drain(e -> seen.add(e.tsNs())));
        assertEquals(List.of(2L), seen);
        assertEquals(0, ring.badRecords());
        assertEquals(2L * RECORD, consumerPage.getLong(0));
    }

    @Test
    void countsAndSkipsRecordsThatAreNotFlatEvents() {
        append(new byte[40], 0);
        byte[] newer = event(7);
        newer[EventRecord.VERSION_OFFSET] = 2;
        append(newer, 0);
        byte[] otherType = event(8);
        otherType[EventRecord.TYPE_OFFSET] = 9;
        append(otherType, 0);
        append(event(3), 0);
        assertEquals(1, ring.drain(e -> seen.add(e.tsNs())));
        assertEquals(List.of(3L), seen);
        assertEquals(3, ring.badRecords());
        assertEquals(producerPos, consumerPage.getLong(0));
    }

    @Test
    void readsARecordThatWrapsAroundTheEndThroughTheSecondMapping() {
        long start = 5L * SIZE - 40; // positions keep growing; this one wraps within the record
        consumerPage.putLong(0, start);
        producerPos = start;
        producerPage.putLong(0, start);
        byte[] e = event(42);
        e[EventRecord.SADDR_OFFSET + 15] = 7;
        append(e, 0);
        List<Integer> lastAddressBytes = new ArrayList<>();
        assertEquals(1, ring.drain(r -> {
            seen.add(r.tsNs());
            lastAddressBytes.add((int) (r.saddrLo() & 0xFF));
        }));
        assertEquals(List.of(42L), seen);
        assertEquals(List.of(7), lastAddressBytes);
        assertEquals(start + RECORD, consumerPage.getLong(0));
    }

    @Test
    void aThrowingSinkStillReleasesTheRecordItSaw() {
        append(event(1), 0);
        assertThrows(IllegalStateException.class, () -> ring.drain(e -> {
            throw new IllegalStateException("sink failed");
        }));
        assertEquals(RECORD, consumerPage.getLong(0));
    }

    @Test
    void refusesASizeThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new RingConsumer(consumerPage, producerPage, data, 3000));
    }

    private static byte[] event(long ts) {
        EventRecord r = EventRecord.allocate().type(EventRecord.TYPE_PACKET).version(EventRecord.VERSION).tsNs(ts);
        byte[] out = new byte[EventRecord.ENCODED_LENGTH];
        r.buffer().get(0, out);
        return out;
    }

    /** Writes a record as the kernel does (header flags, body, 8-byte alignment) and publishes it. */
    private long append(byte[] body, int flags) {
        long at = producerPos;
        header(at, body.length | flags);
        for (int i = 0; i < body.length; i++) {
            put(at + RingConsumer.HEADER_LENGTH + i, body[i]);
        }
        producerPos += (RingConsumer.HEADER_LENGTH + body.length + 7) & ~7;
        producerPage.putLong(0, producerPos);
        return at;
    }

    private void header(long pos, int lengthAndFlags) {
        for (int i = 0; i < 4; i++) {
            put(pos + i, (byte) (lengthAndFlags >>> (8 * i)));
        }
    }

    /** One byte at a ring position, in both mappings of the data area. */
    private void put(long pos, byte b) {
        int off = (int) (pos & (SIZE - 1));
        data.put(off, b);
        data.put(off + SIZE, b);
    }
}
