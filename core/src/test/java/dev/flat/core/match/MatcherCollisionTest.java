package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.dnsQuery;
import static dev.flat.core.match.Events.dnsResponse;
import static dev.flat.core.match.Events.echo;
import static dev.flat.core.match.Events.syn;
import static dev.flat.core.match.Events.synAck;
import static dev.flat.core.match.Events.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Flows forced into one bucket (and onto one hash value) must still never mix. */
class MatcherCollisionTest {
    private static final FlowHash EVERYTHING_COLLIDES = (cHi, cLo, sHi, sLo, ports, tag) -> 42;
    private static final MatcherConfig CONFIG =
            new MatcherConfig(MatcherConfig.DEFAULT_TIMEOUT_NS, 64, EnumSet.allOf(Kind.class));

    @Test
    void twoFlowsInOneBucketEachGetTheirOwnResponse() {
        Harness h = new Harness(CONFIG, EVERYTHING_COLLIDES);
        h.feed(syn("10.0.0.1", 1000, "10.0.0.2", 80, 7, T0),
                syn("10.0.0.3", 1000, "10.0.0.2", 80, 7, T0 + MS),
                synAck("10.0.0.2", 80, "10.0.0.3", 1000, 7, T0 + 5 * MS),
                synAck("10.0.0.2", 80, "10.0.0.1", 1000, 7, T0 + 9 * MS));

        assertEquals(2, h.exchanges());
        assertEquals(Events.lo("10.0.0.3"), h.recorder.exchanges.get(0).clientLo);
        assertEquals(4 * MS, h.recorder.exchanges.get(0).latencyNs);
        assertEquals(Events.lo("10.0.0.1"), h.recorder.exchanges.get(1).clientLo);
        assertEquals(9 * MS, h.recorder.exchanges.get(1).latencyNs);
        assertEquals(0, h.stats().retransmits(Kind.TCP));
        h.assertBalanced();
    }

    @Test
    void keysDifferingInOnePartNeverMatchEachOther() {
        Harness h = new Harness(CONFIG, EVERYTHING_COLLIDES);
        // Pairs of keys that differ in one part only: kind (tcp/udp/icmp share addresses and the
        // packed ports 53, 5353), DNS id (9/10), the high half of the client address (fd00::1 and
        // fd02::1 share the low 64 bits).
        h.feed(syn("fd00::1", 53, "fd01::1", 5353, 9, T0),
                udp("fd00::1", 53, "fd01::1", 5353, T0),
                dnsQuery("fd00::1", 5353, "fd01::1", 9, T0),
                dnsQuery("fd00::1", 5353, "fd01::1", 10, T0),
                echo("fd00::1", "fd01::1", 128, 53, 5353, T0),
                syn("fd02::1", 53, "fd01::1", 5353, 9, T0));

        assertEquals(6, h.stats().pending(), "six distinct requests, no retransmits");
        assertEquals(0, h.stats().retransmits(Kind.TCP) + h.stats().retransmits(Kind.DNS));

        h.feed(dnsResponse("fd01::1", "fd00::1", 5353, 10, T0 + MS),
                synAck("fd01::1", 5353, "fd02::1", 53, 9, T0 + 2 * MS),
                echo("fd01::1", "fd00::1", 129, 53, 5353, T0 + 3 * MS));
        assertEquals(3, h.exchanges());
        assertEquals(10, h.recorder.exchanges.get(0).dnsId);
        assertEquals(Kind.TCP, h.recorder.exchanges.get(1).kind);
        assertEquals(Events.hi("fd02::1"), h.recorder.exchanges.get(1).clientHi);
        assertEquals(Kind.ICMP, h.recorder.exchanges.get(2).kind);
        assertEquals(3, h.stats().pending());
        h.assertBalanced();
    }

    @Test
    void removingFromTheMiddleOfAChainKeepsTheRestFindable() {
        Harness h = new Harness(CONFIG, EVERYTHING_COLLIDES);
        for (int port = 1; port <= 20; port++) {
            h.feed(syn("10.0.0.1", port, "10.0.0.2", 80, port, T0 + port));
        }
        for (int port = 2; port <= 20; port += 2) {
            h.feed(synAck("10.0.0.2", 80, "10.0.0.1", port, port, T0 + MS));
        }
        for (int port = 19; port >= 1; port -= 2) {
            h.feed(synAck("10.0.0.2", 80, "10.0.0.1", port, port, T0 + 2 * MS));
        }
        assertEquals(20, h.exchanges());
        assertEquals(0, h.stats().unmatchedResponses(Kind.TCP));
        assertEquals(0, h.stats().pending());
        h.assertBalanced();
    }
}
