package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.lo;
import static dev.flat.core.match.Events.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MatcherUdpTest {
    private static final String A = "10.1.0.1";
    private static final String B = "10.1.0.2";
    private static final Kind UDP = Kind.UDP;

    @Test
    void firstDatagramBackAnswersTheLatestDatagramOut() {
        Harness h = new Harness();
        h.feed(udp(A, 1, B, 2, T0), udp(A, 1, B, 2, T0 + 10 * MS), udp(B, 2, A, 1, T0 + 13 * MS).ttl(60));

        Exchange x = h.only();
        assertEquals(UDP, x.kind);
        assertEquals(3 * MS, x.latencyNs);
        assertEquals(1, x.retransmits);
        assertEquals(lo(A), x.clientLo);
        assertEquals(1, x.clientPort);
        assertEquals(2, x.serverPort);
        assertEquals(60, x.responseTtl);
        assertEquals(-1, x.dnsId);
        assertEquals(1, h.stats().requests(UDP));
        assertEquals(1, h.stats().retransmits(UDP));
        h.assertBalanced();
    }

    @Test
    void bothDirectionsTakeTurns() {
        // The original flat, hashing both directions alike, could not tell who asked.
        Harness h = new Harness();
        h.feed(udp(A, 1, B, 2, T0),
                udp(B, 2, A, 1, T0 + MS),          // answers A
                udp(B, 2, A, 1, T0 + 5 * MS),      // nothing of A's pending: B asks now
                udp(A, 1, B, 2, T0 + 7 * MS));     // answers B

        assertEquals(2, h.exchanges());
        Exchange first = h.recorder.exchanges.get(0);
        assertEquals(lo(A), first.clientLo);
        assertEquals(MS, first.latencyNs);
        Exchange second = h.recorder.exchanges.get(1);
        assertEquals(lo(B), second.clientLo);
        assertEquals(2, second.clientPort);
        assertEquals(2 * MS, second.latencyNs);
        assertEquals(0, h.stats().pending());
        h.assertBalanced();
    }

    @Test
    void replyMustComeFromTheExactPeerAndPort() {
        Harness h = new Harness();
        h.feed(udp(A, 1, B, 2, T0), udp(B, 3, A, 1, T0 + MS), udp("10.1.0.3", 2, A, 1, T0 + MS), udp(B, 2, A, 9, T0 + MS));

        assertEquals(0, h.exchanges());
        assertEquals(4, h.stats().requests(UDP), "each non-reply starts its own request");
        assertEquals(0, h.stats().unmatchedResponses(UDP));
    }

    @Test
    void ipv6() {
        Harness h = new Harness();
        h.feed(udp("fd00::a", 4000, "fd00::b", 4001, T0), udp("fd00::b", 4001, "fd00::a", 4000, T0 + 55));

        assertEquals(55, h.only().latencyNs);
    }
}
