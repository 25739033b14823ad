package dev.flat.core.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link EventRecord#packetHead} and {@link EventRecord#transport} store whole words composed
 * from the fields; they must give exactly the bytes that clear() and one setter per field give,
 * and leave nothing of an earlier record behind.
 */
class EventRecordWordsTest {
    @Test
    void wordWritersGiveTheBytesOfTheFieldSetters() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 10_000; i++) {
            int direction = random.nextInt(256);
            int ipVersion = random.nextInt(256);
            int proto = random.nextInt(256);
            int ttl = random.nextInt(256);
            int flags = random.nextInt(256);
            int icmpType = random.nextInt(256);
            int icmpCode = random.nextInt(256);
            int digits = random.nextInt(256);
            int payloadLen = random.nextInt(65_536);
            long ifindex = random.nextLong() & 0xFFFF_FFFFL;
            long ts = random.nextLong();
            long sHi = random.nextLong();
            long sLo = random.nextLong();
            long dHi = random.nextLong();
            long dLo = random.nextLong();
            int sport = random.nextInt(65_536);
            int dport = random.nextInt(65_536);
            long seq = random.nextLong() & 0xFFFF_FFFFL;
            long ack = random.nextLong() & 0xFFFF_FFFFL;
            int word = random.nextInt();

            EventRecord bySetters = EventRecord.allocate().clear()
                    .type(EventRecord.TYPE_PACKET).version(EventRecord.VERSION).direction(direction)
                    .ipVersion(ipVersion).ipProto(proto).ttl(ttl).tcpFlags(flags).icmpType(icmpType)
                    .icmpCode(icmpCode).tsDigits(digits).payloadLen(payloadLen).ifindex(ifindex).tsNs(ts)
                    .saddr(sHi, sLo).daddr(dHi, dLo).sport(sport).dport(dport).tcpSeq(seq).tcpAck(ack)
                    .payloadWord(word);

            byte[] dirty = new byte[EventRecord.ENCODED_LENGTH];
            Arrays.fill(dirty, (byte) 0xA5); // an earlier record's bytes: all must be overwritten
            EventRecord byWords = new EventRecord().wrap(ByteBuffer.wrap(dirty).order(ByteOrder.LITTLE_ENDIAN), 0)
                    .packetHead(direction, ipVersion, proto, ttl, flags, icmpType, icmpCode, digits, payloadLen, ifindex, ts)
                    .saddr(sHi, sLo).daddr(dHi, dLo)
                    .transport(sport, dport, seq, ack, word);

            assertArrayEquals(bySetters.buffer().array(), dirty, "record " + i);
            assertEquals(sport, byWords.sport());
            assertEquals(ack, byWords.tcpAck());
            assertEquals(word, byWords.payloadWord());
        }
    }

    /** Heap records go through array views, direct ones through the buffer: the same bytes either way. */
    @Test
    void heapAndDirectRecordsAgreeAtAnyOffset() {
        SplittableRandom random = new SplittableRandom(17);
        ByteBuffer heap = ByteBuffer.allocate(4 * EventRecord.ENCODED_LENGTH + 3).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer sliced = ByteBuffer.wrap(new byte[heap.capacity() + 11], 11, heap.capacity()).slice()
                .order(ByteOrder.LITTLE_ENDIAN); // array offset 11
        for (int offset : new int[] {0, 3, 80, 163}) {
            EventRecord[] records = {
                new EventRecord().wrap(heap, offset), new EventRecord().wrap(direct, offset),
                new EventRecord().wrap(sliced, offset)};
            long ts = random.nextLong();
            long hi = random.nextLong();
            int word = random.nextInt();
            for (EventRecord r : records) {
                r.packetHead(2, 6, EventRecord.PROTO_UDP, 64, 0, 0, 0, 9, 1234, 7, ts).saddr(hi, ~hi).daddr(~hi, hi)
                        .transport(5353, 53, 0, 0, word);
            }
            for (EventRecord r : records) {
                assertEquals(ts, r.tsNs());
                assertEquals(hi, r.saddrHi());
                assertEquals(~hi, r.saddrLo());
                assertEquals(hi, r.daddrLo());
                assertEquals(53, r.dport());
                assertEquals(1234, r.payloadLen());
                assertEquals(7, r.ifindex());
                assertEquals(word, r.payloadWord());
                assertEquals(EventRecord.PROTO_UDP, r.ipProto());
            }
            byte[] fromHeap = new byte[EventRecord.ENCODED_LENGTH];
            byte[] fromDirect = new byte[EventRecord.ENCODED_LENGTH];
            byte[] fromSliced = new byte[EventRecord.ENCODED_LENGTH];
            heap.get(offset, fromHeap);
            direct.get(offset, fromDirect);
            sliced.get(offset, fromSliced);
            assertArrayEquals(fromDirect, fromHeap);
            assertArrayEquals(fromDirect, fromSliced);
        }
    }

    @Test
    void aRecordPastTheBuffersLimitThrowsWhenUsedAsBefore() {
        ByteBuffer heap = ByteBuffer.allocate(2 * EventRecord.ENCODED_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        heap.limit(EventRecord.ENCODED_LENGTH + 10);
        EventRecord past = new EventRecord().wrap(heap, 11); // a view may be placed; using it may not
        // Its last byte lies past the limit: the fields before it are usable, a store reaching it is not.
        assertEquals(7, past.tsNs(7).tsNs());
        assertThrows(IndexOutOfBoundsException.class, () -> past.transport(1, 2, 3, 4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> new EventRecord().wrap(heap, -1).type());
        EventRecord fits = new EventRecord().wrap(heap, 10);
        assertEquals(5, fits.tsNs(5).tsNs());
    }
}
