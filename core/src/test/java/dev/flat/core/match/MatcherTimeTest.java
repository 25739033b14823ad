package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.S;
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

/** Expiry, eviction and the capture clock. */
class MatcherTimeTest {
    private static final String A = "10.3.0.1";
    private static final String B = "10.3.0.2";
    private static final Kind TCP = Kind.TCP;

    private static MatcherConfig config(long timeoutNs, int maxPending) {
        return new MatcherConfig(timeoutNs, maxPending, EnumSet.allOf(Kind.class));
    }

    @Test
    void requestExpiresWhenCaptureTimeMovesPastTheTimeout() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, T0), udp("10.9.9.9", 1, "10.9.9.8", 2, T0 + S + 1));

        assertEquals(1, h.stats().unanswered(TCP));
        assertEquals(0, h.stats().pending(TCP));

        h.feed(synAck(B, 80, A, 1, 5, T0 + S + 2));
        assertEquals(0, h.exchanges(), "too late: the SYN has expired");
        assertEquals(1, h.stats().unmatchedResponses(TCP));
        h.assertBalanced();
    }

    @Test
    void theResponseItselfExpiresARequestItIsTooLateFor() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, T0), synAck(B, 80, A, 1, 5, T0 + S + 1));

        assertEquals(0, h.exchanges());
        assertEquals(1, h.stats().unanswered(TCP));
        assertEquals(1, h.stats().unmatchedResponses(TCP));
    }

    @Test
    void responseExactlyAtTheTimeoutStillCounts() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, T0), synAck(B, 80, A, 1, 5, T0 + S));

        assertEquals(S, h.only().latencyNs);
    }

    @Test
    void retransmitRestartsTheWait() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, T0), syn(A, 1, B, 80, 5, T0 + 900 * MS), synAck(B, 80, A, 1, 5, T0 + 1500 * MS));

        assertEquals(600 * MS, h.only().latencyNs);
        assertEquals(0, h.stats().unanswered(TCP));
    }

    @Test
    void expiryFollowsTheOrderOfLastActivity() {
        Harness h = new Harness(config(S, 16));
        h.feed(dnsQuery(A, 1000, B, 1, T0),
                dnsQuery(A, 1000, B, 2, T0 + 100 * MS),
                dnsQuery(A, 1000, B, 1, T0 + 200 * MS), // retransmit: id 1 is now the younger
                udp("10.9.9.9", 1, "10.9.9.8", 2, T0 + 1150 * MS));

        assertEquals(1, h.stats().unanswered(Kind.DNS), "only id 2 has waited over a second");
        h.feed(dnsResponse(B, A, 1000, 1, T0 + 1180 * MS));
        assertEquals(980 * MS, h.only().latencyNs);
        h.assertBalanced();
    }

    @Test
    void expireUpToExpiresWithoutEvents() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, T0), echo(A, B, 8, 1, 1, T0 + 500 * MS));

        h.matcher.expireUpTo(T0 + S);
        assertEquals(0, h.stats().unanswered(TCP), "exactly the timeout: not yet");
        h.matcher.expireUpTo(T0 + S + 1);
        assertEquals(1, h.stats().unanswered(TCP));
        assertEquals(1, h.stats().pending(Kind.ICMP));
        h.matcher.expireUpTo(T0 + 2 * S);
        assertEquals(1, h.stats().unanswered(Kind.ICMP));
        assertEquals(0, h.stats().pending());
        h.assertBalanced();
    }

    @Test
    void expireUpToAtTheBottomOfTheClockDoesNotUnderflow() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, Long.MIN_VALUE + 10));
        h.matcher.expireUpTo(Long.MIN_VALUE + 20);

        assertEquals(1, h.stats().pending());
    }

    @Test
    void finishCountsEveryPendingRequestUnanswered() {
        Harness h = new Harness();
        h.feed(syn(A, 1, B, 80, 5, T0), dnsQuery(A, 2, B, 3, T0), udp(A, 4, B, 5, T0), echo(A, B, 8, 1, 1, T0));
        h.matcher.finish();

        for (Kind k : Kind.values()) {
            assertEquals(1, h.stats().unanswered(k), k.label());
        }
        assertEquals(0, h.stats().pending());
        h.assertBalanced();

        h.feed(syn(A, 1, B, 80, 5, T0 + S), synAck(B, 80, A, 1, 5, T0 + S + MS));
        assertEquals(1, h.exchanges(), "still usable after finish");
    }

    @Test
    void timestampsGoingBackwardsAreCountedAndDoNotMoveTheClockBack() {
        Harness h = new Harness(config(S, 16));
        h.feed(syn(A, 1, B, 80, 5, T0 + 10 * S),
                syn(A, 2, B, 80, 6, T0),                        // 10 s in the past
                synAck(B, 80, A, 2, 6, T0 + 10 * S + 400 * MS));

        assertEquals(1, h.stats().outOfOrderEvents());
        assertEquals(0, h.stats().unanswered(TCP), "the clock stays at the latest time seen");
        Exchange x = h.only();
        assertEquals(T0, x.requestTimeNs);
        assertEquals(10 * S + 400 * MS, x.latencyNs, "latency is still the packets' own difference");

        h.feed(udp("10.9.9.9", 1, "10.9.9.8", 2, T0 + 11 * S + 1));
        assertEquals(1, h.stats().unanswered(TCP), "the first SYN expires on time");
        h.assertBalanced();
    }

    @Test
    void responseStampedBeforeItsRequestIsUnmeasurable() {
        Harness h = new Harness();
        h.feed(syn(A, 1, B, 80, 5, T0 + 5 * MS), synAck(B, 80, A, 1, 5, T0 + 2 * MS));

        assertEquals(0, h.exchanges());
        assertEquals(1, h.stats().unmeasurable(TCP));
        assertEquals(0, h.stats().pending());
        assertEquals(0, h.stats().unmatchedResponses(TCP));
        h.assertBalanced();
    }

    @Test
    void fullTableEvictsTheOldest() {
        Harness h = new Harness(config(10 * S, 2));
        h.feed(syn(A, 1, B, 80, 1, T0), dnsQuery(A, 2, B, 7, T0 + MS), echo(A, B, 8, 1, 1, T0 + 2 * MS));

        assertEquals(1, h.stats().evicted(TCP));
        assertEquals(2, h.stats().pending());
        h.feed(synAck(B, 80, A, 1, 1, T0 + 3 * MS),
                dnsResponse(B, A, 2, 7, T0 + 4 * MS),
                echo(B, A, 0, 1, 1, T0 + 5 * MS));
        assertEquals(1, h.stats().unmatchedResponses(TCP));
        assertEquals(2, h.exchanges());
        h.assertBalanced();
    }

    @Test
    void retransmitSavesARequestFromEviction() {
        Harness h = new Harness(config(10 * S, 2));
        h.feed(syn(A, 1, B, 80, 1, T0),
                syn(A, 2, B, 80, 2, T0 + MS),
                syn(A, 1, B, 80, 1, T0 + 2 * MS),   // port 1 is now the younger
                syn(A, 3, B, 80, 3, T0 + 3 * MS));  // evicts port 2

        assertEquals(1, h.stats().evicted(TCP));
        h.feed(synAck(B, 80, A, 1, 1, T0 + 4 * MS), synAck(B, 80, A, 2, 2, T0 + 4 * MS), synAck(B, 80, A, 3, 3, T0 + 4 * MS));
        assertEquals(2, h.exchanges());
        assertEquals(1, h.stats().unmatchedResponses(TCP));
        h.assertBalanced();
    }

    @Test
    void kindsOutsideTheConfigurationAreIgnoredEntirely() {
        Harness h = new Harness(new MatcherConfig(S, 16, EnumSet.of(TCP)));
        h.feed(dnsQuery(A, 2, B, 7, T0), dnsResponse(B, A, 2, 7, T0 + MS),
                udp(A, 4, B, 5, T0), udp(B, 5, A, 4, T0 + MS),
                echo(A, B, 8, 1, 1, T0), echo(B, A, 0, 1, 1, T0 + MS),
                syn(A, 1, B, 80, 5, T0), synAck(B, 80, A, 1, 5, T0 + MS));

        assertEquals(1, h.exchanges());
        assertEquals(TCP, h.only().kind);
        for (Kind k : EnumSet.of(Kind.DNS, Kind.UDP, Kind.ICMP)) {
            assertEquals(0, h.stats().requests(k), k.label());
            assertEquals(0, h.stats().unmatchedResponses(k), k.label());
            assertEquals(2, h.stats().filtered(k), k.label());
        }
        assertEquals(0, h.stats().filtered(TCP));
        h.assertBalanced();
    }

    @Test
    void statsCopyIsDetached() {
        Harness h = new Harness();
        h.feed(syn(A, 1, B, 80, 5, T0));
        MatcherStats before = h.stats().copy();
        h.feed(synAck(B, 80, A, 1, 5, T0 + MS));

        assertEquals(1, before.pending());
        assertEquals(0, before.answered(TCP));
        assertEquals(1, h.stats().answered(TCP));
    }
}
