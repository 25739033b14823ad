package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.echo;
import static dev.flat.core.match.Events.lo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.event.EventRecord;
import org.junit.jupiter.api.Test;

class MatcherIcmpTest {
    private static final String A = "10.2.0.1";
    private static final String B = "10.2.0.2";
    private static final Kind ICMP = Kind.ICMP;

    @Test
    void echoReplyWithSameIdentifierAndSequenceAnswers() {
        Harness h = new Harness();
        h.feed(echo(A, B, 8, 0x1234, 1, T0), echo(B, A, 0, 0x1234, 1, T0 + 2 * MS).ttl(64));

        Exchange x = h.only();
        assertEquals(ICMP, x.kind);
        assertEquals(2 * MS, x.latencyNs);
        assertEquals(0x1234, x.icmpId);
        assertEquals(1, x.icmpSeq);
        assertEquals(0, x.clientPort);
        assertEquals(0, x.serverPort);
        assertEquals(-1, x.dnsId);
        assertEquals(lo(A), x.clientLo);
        assertEquals(lo(B), x.serverLo);
        h.assertBalanced();
    }

    @Test
    void replyWithAnotherSequenceOrIdentifierOrFromElsewhereIsUnmatched() {
        Harness h = new Harness();
        h.feed(echo(A, B, 8, 7, 1, T0),
                echo(B, A, 0, 7, 2, T0 + MS),
                echo(B, A, 0, 8, 1, T0 + MS),
                echo("10.2.0.3", A, 0, 7, 1, T0 + MS),
                echo(A, B, 0, 7, 1, T0 + MS)); // the request's own direction

        assertEquals(0, h.exchanges());
        assertEquals(4, h.stats().unmatchedResponses(ICMP));
        assertEquals(1, h.stats().pending(ICMP));
    }

    @Test
    void pingSequencePairsEachRequest() {
        Harness h = new Harness();
        for (int seq = 1; seq <= 3; seq++) {
            h.feed(echo(A, B, 8, 99, seq, T0 + seq * 1000 * MS));
        }
        for (int seq = 3; seq >= 1; seq--) {
            h.feed(echo(B, A, 0, 99, seq, T0 + 3000 * MS + seq * MS));
        }
        assertEquals(3, h.exchanges());
        assertEquals(3, h.recorder.exchanges.get(0).icmpSeq);
        assertEquals(3 * MS, h.recorder.exchanges.get(0).latencyNs);
        assertEquals(1, h.recorder.exchanges.get(2).icmpSeq);
        assertEquals(2000 * MS + MS, h.recorder.exchanges.get(2).latencyNs);
        h.assertBalanced();
    }

    @Test
    void icmpv6Echo() {
        Harness h = new Harness();
        h.feed(echo("fd00::1", "fd00::2", 128, 5, 6, T0), echo("fd00::2", "fd00::1", 129, 5, 6, T0 + 300_000));

        Exchange x = h.only();
        assertEquals(300_000, x.latencyNs);
        assertEquals(5, x.icmpId);
        assertEquals(6, x.icmpSeq);
    }

    @Test
    void icmpv4TypesMeanNothingInIcmpv6AndViceVersa() {
        Harness h = new Harness();
        EventRecord v4TypeOverV6 = echo("fd00::1", "fd00::2", 8, 5, 6, T0);
        EventRecord v6TypeOverV4 = echo(A, B, 128, 5, 6, T0);
        EventRecord unreachable = echo(B, A, 3, 0, 0, T0);
        h.feed(v4TypeOverV6, v6TypeOverV4, unreachable);

        assertEquals(3, h.stats().ignoredEvents());
        assertEquals(0, h.stats().requests(ICMP));
    }
}
