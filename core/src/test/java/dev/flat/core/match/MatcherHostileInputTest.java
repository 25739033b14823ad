package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Records full of random bytes: nothing throws, and every event lands in exactly one counter. */
class MatcherHostileInputTest {
    private static final int[] PROTOCOLS = {EventRecord.PROTO_TCP, EventRecord.PROTO_UDP,
            EventRecord.PROTO_ICMP, EventRecord.PROTO_ICMPV6, 0, 255};
    private static final int[] ECHO_TYPES = {0, 8, 128, 129, 3};

    @Test
    void randomRecordsAreAllAccountedFor() {
        SplittableRandom random = new SplittableRandom(7);
        Harness h = new Harness(new MatcherConfig(1_000, 32, EnumSet.of(Kind.TCP, Kind.DNS, Kind.ICMP)));
        ByteBuffer bytes = ByteBuffer.allocate(EventRecord.ENCODED_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        EventRecord e = new EventRecord().wrap(bytes, 0);
        int events = 100_000;
        long clock = 0;
        for (int i = 0; i < events; i++) {
            for (int b = 0; b < EventRecord.ENCODED_LENGTH; b++) {
                bytes.put(b, (byte) random.nextInt(256));
            }
            if (random.nextInt(8) != 0) {
                // Mostly packet records of a known protocol, with few distinct addresses, ports,
                // sequence numbers, DNS ids and ICMP types, so that random responses sometimes
                // find their request; three in four move the clock forward a little.
                e.type(EventRecord.TYPE_PACKET).ipProto(PROTOCOLS[random.nextInt(PROTOCOLS.length)]);
                bytes.putLong(EventRecord.SADDR_OFFSET + 8, random.nextInt(2));
                bytes.putLong(EventRecord.DADDR_OFFSET + 8, random.nextInt(2));
                bytes.putLong(EventRecord.SADDR_OFFSET, 0);
                bytes.putLong(EventRecord.DADDR_OFFSET, 0);
                e.sport(random.nextBoolean() ? 53 : random.nextInt(2)).dport(random.nextBoolean() ? 53 : random.nextInt(2));
                e.tcpSeq(random.nextInt(2)).tcpAck(random.nextInt(3));
                e.icmpType(ECHO_TYPES[random.nextInt(ECHO_TYPES.length)]);
                bytes.put(EventRecord.PAYLOAD_OFFSET, (byte) 0).put(EventRecord.PAYLOAD_OFFSET + 1, (byte) random.nextInt(2));
                if (random.nextInt(4) != 0) {
                    clock += random.nextInt(300);
                    e.tsNs(clock);
                }
            }
            h.feed(e);
        }
        h.matcher.finish();

        MatcherStats s = h.stats();
        long counted = s.unmatchedResets() + s.ignoredEvents();
        for (Kind k : Kind.values()) {
            counted += s.requests(k) + s.retransmits(k) + s.answered(k) + s.refused(k) + s.unmeasurable(k)
                    + s.unmatchedResponses(k) + s.filtered(k);
        }
        assertEquals(events, counted, "every event is a request, a retransmit, a response or counted apart");
        h.assertBalanced();
        assertEquals(0, s.pending());
        for (Kind k : EnumSet.of(Kind.TCP, Kind.DNS, Kind.ICMP)) { // the stream reached every path
            assertTrue(s.answered(k) > 0 && s.unmatchedResponses(k) > 0 && s.unanswered(k) > 0, k.label());
        }
        assertTrue(s.refused(Kind.TCP) > 0 && s.evicted(Kind.TCP) > 0 && s.unmeasurable(Kind.DNS) > 0);
        assertTrue(s.filtered(Kind.UDP) > 0 && s.notDns() > 0 && s.ignoredEvents() > 0 && s.unmatchedResets() > 0);
    }
}
