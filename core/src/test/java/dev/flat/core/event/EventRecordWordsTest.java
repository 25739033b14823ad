package dev.flat.core.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
