package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.dnsQuery;
import static dev.flat.core.match.Events.dnsResponse;
import static dev.flat.core.match.Events.dnsWord;
import static dev.flat.core.match.Events.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class MatcherDnsTest {
    private static final String CLIENT = "192.168.1.10";
    private static final String SERVER = "192.168.1.1";
    private static final Kind DNS = Kind.DNS;

    @Test
    void queryAnsweredByResponseWithTheSameId() {
        Harness h = new Harness();
        h.feed(dnsQuery(CLIENT, 51000, SERVER, 0xBEEF, T0), dnsResponse(SERVER, CLIENT, 51000, 0xBEEF, T0 + 12 * MS).ttl(255));

        Exchange x = h.only();
        assertEquals(DNS, x.kind);
        assertEquals(0xBEEF, x.dnsId);
        assertEquals(12 * MS, x.latencyNs);
        assertEquals(51000, x.clientPort);
        assertEquals(53, x.serverPort);
        assertEquals(255, x.responseTtl);
        assertEquals(-1, x.icmpId);
        assertEquals(0, h.stats().requests(Kind.UDP), "DNS is not also counted as UDP");
        h.assertBalanced();
    }

    @Test
    void parallelAAndAaaaQueriesOnOneSocketPairById() {
        // glibc sends A and AAAA back to back from one socket (two ids outstanding); the answers
        // may come in either order.
        Harness h = new Harness();
        h.feed(dnsQuery(CLIENT, 40404, SERVER, 0x1111, T0),
                dnsQuery(CLIENT, 40404, SERVER, 0x2222, T0 + 100_000),
                dnsResponse(SERVER, CLIENT, 40404, 0x2222, T0 + 5 * MS),
                dnsResponse(SERVER, CLIENT, 40404, 0x1111, T0 + 9 * MS));

        assertEquals(2, h.exchanges());
        Exchange aaaa = h.recorder.exchanges.get(0);
        assertEquals(0x2222, aaaa.dnsId);
        assertEquals(5 * MS - 100_000, aaaa.latencyNs);
        Exchange a = h.recorder.exchanges.get(1);
        assertEquals(0x1111, a.dnsId);
        assertEquals(9 * MS, a.latencyNs);
        assertEquals(0, h.stats().retransmits(DNS));
        h.assertBalanced();
    }

    @Test
    void repeatedIdWhilePendingIsARetransmit() {
        Harness h = new Harness();
        h.feed(dnsQuery(CLIENT, 40404, SERVER, 7, T0),
                dnsQuery(CLIENT, 40404, SERVER, 7, T0 + 5000 * MS),
                dnsResponse(SERVER, CLIENT, 40404, 7, T0 + 5003 * MS));

        Exchange x = h.only();
        assertEquals(3 * MS, x.latencyNs);
        assertEquals(1, x.retransmits);
        assertEquals(1, h.stats().requests(DNS));
        assertEquals(1, h.stats().retransmits(DNS));
        h.assertBalanced();
    }

    @Test
    void responseWithUnknownIdIsUnmatchedAndLeavesTheQueryPending() {
        Harness h = new Harness();
        h.feed(dnsQuery(CLIENT, 40404, SERVER, 7, T0), dnsResponse(SERVER, CLIENT, 40404, 8, T0 + MS));

        assertEquals(0, h.exchanges());
        assertEquals(1, h.stats().unmatchedResponses(DNS));
        assertEquals(1, h.stats().pending(DNS));
    }

    @Test
    void queryIsNeverAnsweredByAnotherQuery() {
        // Two resolvers querying each other from port 53 with the same id: both are queries.
        Harness h = new Harness();
        h.feed(udp(CLIENT, 53, SERVER, 53, T0, 40, dnsWord(99, 0x0000)),
                udp(SERVER, 53, CLIENT, 53, T0 + MS, 40, dnsWord(99, 0x0000)));

        assertEquals(0, h.exchanges());
        assertEquals(2, h.stats().requests(DNS));
    }

    @Test
    void port53PayloadThatIsNoDnsHeaderIsPlainUdp() {
        Harness h = new Harness();
        h.feed(udp(CLIENT, 40000, SERVER, 53, T0, 11, dnsWord(1, 0x0100)),            // shorter than a header
                udp(SERVER, 53, CLIENT, 40000, T0 + MS, 30, dnsWord(1, 0x8000 | 3 << 11))); // opcode 3 unassigned

        assertEquals(2, h.stats().notDns());
        assertEquals(0, h.stats().requests(DNS));
        Exchange x = h.only();
        assertEquals(Kind.UDP, x.kind);
        assertEquals(-1, x.dnsId);
        assertEquals(MS, x.latencyNs);
    }

    @Test
    void dnsMessageGoingTheWrongWayForItsQrBitIsPlainUdp() {
        Harness h = new Harness();
        h.feed(udp(SERVER, 53, CLIENT, 40000, T0, 30, dnsWord(5, 0x0100)),   // a "query" from port 53
                udp(CLIENT, 40000, SERVER, 53, T0, 30, dnsWord(5, 0x8180))); // a "response" to port 53

        assertEquals(2, h.stats().notDns());
        assertEquals(0, h.stats().requests(DNS));
        assertEquals(0, h.stats().unmatchedResponses(DNS));
        assertEquals(1, h.stats().answered(Kind.UDP));
    }

    @Test
    void notifyAndUpdateOpcodesAreDns() {
        Harness h = new Harness();
        h.feed(udp(CLIENT, 40000, SERVER, 53, T0, 30, dnsWord(1, 4 << 11)),
                udp(CLIENT, 40000, SERVER, 53, T0, 30, dnsWord(2, 5 << 11)));

        assertEquals(2, h.stats().requests(DNS));
        assertEquals(0, h.stats().notDns());
    }

    @Test
    void dnsFilteredOutIsNotMeasuredAsUdpEither() {
        Harness h = new Harness(new MatcherConfig(MatcherConfig.DEFAULT_TIMEOUT_NS, 16, EnumSet.of(Kind.UDP)));
        h.feed(dnsQuery(CLIENT, 40404, SERVER, 7, T0), dnsResponse(SERVER, CLIENT, 40404, 7, T0 + MS));

        assertEquals(0, h.exchanges());
        assertEquals(2, h.stats().filtered(DNS));
        assertEquals(0, h.stats().requests(Kind.UDP));
    }

    @Test
    void ipv6() {
        Harness h = new Harness();
        h.feed(dnsQuery("fd00::10", 33333, "fd00::53", 4242, T0), dnsResponse("fd00::53", "fd00::10", 33333, 4242, T0 + 700_000));

        assertEquals(700_000, h.only().latencyNs);
        assertEquals(4242, h.only().dnsId);
    }
}
