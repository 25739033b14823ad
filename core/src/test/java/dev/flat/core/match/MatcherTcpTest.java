package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.RST;
import static dev.flat.core.match.Events.RST_ACK;
import static dev.flat.core.match.Events.SYN;
import static dev.flat.core.match.Events.SYN_ACK;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.hi;
import static dev.flat.core.match.Events.lo;
import static dev.flat.core.match.Events.syn;
import static dev.flat.core.match.Events.synAck;
import static dev.flat.core.match.Events.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import org.junit.jupiter.api.Test;

class MatcherTcpTest {
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";
    private static final Kind TCP = Kind.TCP;

    @Test
    void synAnsweredBySynAckFillsEveryField() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 443, 1000, T0).direction(Direction.EGRESS.code()).ifindex(3).tsDigits(6),
                synAck(B, 443, A, 40000, 1000, T0 + 7 * MS + 123).ttl(57).direction(Direction.INGRESS.code()).ifindex(4));

        Exchange x = h.only();
        assertEquals(TCP, x.kind);
        assertEquals(Outcome.ANSWERED, x.outcome);
        assertEquals(T0, x.requestTimeNs);
        assertEquals(7 * MS + 123, x.latencyNs);
        assertEquals(hi(A), x.clientHi);
        assertEquals(lo(A), x.clientLo);
        assertEquals(hi(B), x.serverHi);
        assertEquals(lo(B), x.serverLo);
        assertEquals(40000, x.clientPort);
        assertEquals(443, x.serverPort);
        assertEquals(-1, x.dnsId);
        assertEquals(-1, x.icmpId);
        assertEquals(-1, x.icmpSeq);
        assertEquals(0, x.retransmits);
        assertEquals(57, x.responseTtl, "TTL of the response");
        assertEquals(Direction.EGRESS, x.direction, "direction of the request");
        assertEquals(3, x.ifindex, "interface of the request");
        assertEquals(6, x.tsDigits, "the coarser of the two timestamps");
        assertEquals(1, h.stats().requests(TCP));
        assertEquals(1, h.stats().answered(TCP));
        assertEquals(0, h.stats().pending());
        h.assertBalanced();
    }

    @Test
    void retransmittedSynIsMeasuredFromTheLatestCopy() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 80, 77, T0),
                syn(A, 40000, B, 80, 77, T0 + 1000 * MS),
                syn(A, 40000, B, 80, 77, T0 + 3000 * MS).ifindex(9),
                synAck(B, 80, A, 40000, 77, T0 + 3020 * MS));

        Exchange x = h.only();
        assertEquals(T0 + 3000 * MS, x.requestTimeNs);
        assertEquals(20 * MS, x.latencyNs);
        assertEquals(2, x.retransmits);
        assertEquals(9, x.ifindex, "the measured copy's interface");
        assertEquals(1, h.stats().requests(TCP));
        assertEquals(2, h.stats().retransmits(TCP));
        h.assertBalanced();
    }

    @Test
    void synWithAnotherSequenceNumberIsAnotherRequest() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 80, 77, T0), syn(A, 40000, B, 80, 5000, T0 + MS),
                synAck(B, 80, A, 40000, 5000, T0 + 3 * MS));

        assertEquals(2 * MS, h.only().latencyNs);
        assertEquals(0, h.only().retransmits);
        assertEquals(2, h.stats().requests(TCP));
        assertEquals(0, h.stats().retransmits(TCP));
        assertEquals(1, h.stats().pending(TCP), "the SYN with sequence 77 still waits");
        h.assertBalanced();
    }

    @Test
    void synAckAcknowledgingAnotherSequenceDoesNotAnswer() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 80, 1000, T0), tcp(B, 80, A, 40000, SYN_ACK, 9, 1000, T0 + MS));

        assertEquals(0, h.exchanges(), "ack must be seq + 1, not seq");
        assertEquals(1, h.stats().unmatchedResponses(TCP));
        assertEquals(1, h.stats().pending());
        h.assertBalanced();
    }

    @Test
    void synAckWithoutPendingSynIsUnmatched() {
        Harness h = new Harness();
        h.feed(synAck(B, 80, A, 40000, 1000, T0));

        assertEquals(0, h.exchanges());
        assertEquals(1, h.stats().unmatchedResponses(TCP));
        assertEquals(0, h.stats().requests(TCP));
    }

    @Test
    void synAckFromTheWrongPeerOrPortDoesNotAnswer() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 80, 1000, T0),
                synAck("10.0.0.3", 80, A, 40000, 1000, T0 + MS),
                synAck(B, 8080, A, 40000, 1000, T0 + MS),
                synAck(B, 80, A, 40001, 1000, T0 + MS),
                synAck(B, 80, "10.0.0.9", 40000, 1000, T0 + MS));

        assertEquals(0, h.exchanges());
        assertEquals(4, h.stats().unmatchedResponses(TCP));
        assertEquals(1, h.stats().pending());
    }

    @Test
    void rstAckRefusesTheSyn() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 23, 1000, T0), tcp(B, 23, A, 40000, RST_ACK, 0, 1001, T0 + 250_000).ttl(63));

        Exchange x = h.only();
        assertEquals(Outcome.REFUSED, x.outcome);
        assertEquals(250_000, x.latencyNs);
        assertEquals(63, x.responseTtl);
        assertEquals(1, h.stats().refused(TCP));
        assertEquals(0, h.stats().answered(TCP));
        h.assertBalanced();
    }

    @Test
    void resetsThatAnswerNoSynAreCountedApart() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 23, 1000, T0),
                tcp(B, 23, A, 40000, RST, 0, 1001, T0 + MS),      // no ACK: acknowledges nothing
                tcp(B, 23, A, 40000, RST_ACK, 0, 5555, T0 + MS),  // another connection's abort
                tcp(A, 40000, B, 23, RST_ACK, 1001, 1, T0 + MS)); // wrong direction

        assertEquals(0, h.exchanges());
        assertEquals(3, h.stats().unmatchedResets());
        assertEquals(0, h.stats().unmatchedResponses(TCP));
        assertEquals(1, h.stats().pending());
    }

    @Test
    void sequenceWrapsAround() {
        Harness h = new Harness();
        h.feed(syn(A, 40000, B, 80, 0xFFFF_FFFFL, T0), tcp(B, 80, A, 40000, SYN_ACK, 123, 0, T0 + MS));

        assertEquals(MS, h.only().latencyNs);
        h.assertBalanced();
    }

    @Test
    void simultaneousOpenNeverPairsTheTwoSyns() {
        // RFC 9293 section 3.5, figure 7: both ends send a SYN, then each answers the other's with SYN/ACK.
        Harness h = new Harness();
        h.feed(syn(A, 5000, B, 6000, 100, T0), syn(B, 6000, A, 5000, 300, T0 + MS));

        assertEquals(0, h.exchanges(), "a SYN is not a response");
        assertEquals(2, h.stats().requests(TCP));
        assertEquals(2, h.stats().pending());

        h.feed(tcp(A, 5000, B, 6000, SYN_ACK, 100, 301, T0 + 2 * MS),
                tcp(B, 6000, A, 5000, SYN_ACK, 300, 101, T0 + 4 * MS));
        assertEquals(2, h.exchanges());
        Exchange first = h.recorder.exchanges.get(0);
        assertEquals(hi(B), first.clientHi);
        assertEquals(lo(B), first.clientLo);
        assertEquals(6000, first.clientPort);
        assertEquals(MS, first.latencyNs);
        Exchange second = h.recorder.exchanges.get(1);
        assertEquals(lo(A), second.clientLo);
        assertEquals(5000, second.clientPort);
        assertEquals(4 * MS, second.latencyNs);
        h.assertBalanced();
    }

    @Test
    void synsBothWaysOnOneFourTupleDoNotPairEvenWithEqualSequence() {
        // The original flat's commutative hash made A:1 -> B:2 and B:2 -> A:1 the same flow.
        Harness h = new Harness();
        h.feed(syn(A, 1, B, 2, 42, T0), syn(B, 2, A, 1, 42, T0 + MS));

        assertEquals(0, h.exchanges());
        assertEquals(2, h.stats().pending(TCP));
        assertEquals(0, h.stats().retransmits(TCP));
    }

    @Test
    void ipv6() {
        Harness h = new Harness();
        h.feed(syn("fd00::1", 50000, "fd00::2", 22, 9, T0), synAck("fd00::2", 22, "fd00::1", 50000, 9, T0 + 40_000));

        Exchange x = h.only();
        assertEquals(40_000, x.latencyNs);
        assertEquals(hi("fd00::1"), x.clientHi);
        assertEquals(lo("fd00::1"), x.clientLo);
        assertEquals(lo("fd00::2"), x.serverLo);
    }

    @Test
    void ipv4AndItsMappedIpv6FormAreTheSameAddress() {
        // The record holds IPv4 as ::ffff:a.b.c.d (flat_event.h), so these are one flow.
        Harness h = new Harness();
        EventRecord mappedSynAck = synAck("fd00::2", 80, "fd00::1", 1, 5, T0 + MS);
        mappedSynAck.saddr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 0, 0, 2}, 0)
                .daddr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 0, 0, 1}, 0);
        h.feed(syn(A, 1, B, 80, 5, T0), mappedSynAck);

        assertEquals(1, h.exchanges());
    }

    @Test
    void segmentsWithoutSynOrRstAreIgnoredAndCounted() {
        Harness h = new Harness();
        h.feed(tcp(A, 1, B, 2, Events.ACK, 1, 1, T0), tcp(A, 1, B, 2, EventRecord.TCP_FIN, 1, 1, T0));

        assertEquals(2, h.stats().ignoredEvents());
        assertEquals(0, h.stats().requests(TCP));
    }

    @Test
    void synRstIsTreatedAsReset() {
        Harness h = new Harness();
        h.feed(syn(A, 1, B, 2, 10, T0), tcp(B, 2, A, 1, SYN | RST_ACK, 0, 11, T0 + MS));

        assertEquals(Outcome.REFUSED, h.only().outcome);
    }
}
