package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The timeline rescales its axis while exchanges stream in; whatever the order of the times, its
 * points must end up holding exactly what placing every exchange on the final axis gives.
 */
class TimelineTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void aMinuteEndsWith128MsPointsAndEveryTimeOnTheAxis() {
        TimeAxis axis = new TimeAxis();
        assertEquals(-1, axis.pointOf(TestExchanges.T0), "an empty axis places nothing before fit");
        axis.fit(TestExchanges.T0);
        assertEquals(TimeAxis.POINTS / 4 + (int) (Math.floorDiv(TestExchanges.T0, MS) % TimeAxis.GROUP),
                axis.pointOf(TestExchanges.T0), "the first time a quarter in, at its place within its group");
        int rescales = 0;
        for (long t = TestExchanges.T0; t <= TestExchanges.T0 + 60 * S; t += 250 * MS) {
            if (axis.pointOf(t) < 0) {
                axis.fit(t);
                rescales++;
            }
            assertTrue(axis.pointOf(t) >= 0);
        }
        assertEquals(128 * MS, axis.widthNs(), "60 s in at most 512 points: 1 ms doubled 7 times");
        // Every rescale moves every point of every timeline: times in order pay one per doubling,
        // and one more when the first time's quarter of room to its left runs out.
        assertTrue(rescales <= 8, rescales + " rescales");
        assertTrue(axis.lastPoint() - axis.firstPoint() < TimeAxis.POINTS);
        assertEquals(0, axis.origin() % TimeAxis.GROUP);
    }

    @Test
    void pointsHoldWhatTheFinalAxisGivesWhateverTheOrder() {
        Random random = new Random(42);
        Timeline timeline = new Timeline();
        List<Exchange> all = new ArrayList<>();
        List<long[]> unanswered = new ArrayList<>(); // kind ordinal, time, retransmits, server index
        String[] servers = {"10.0.0.1", "10.0.0.2", "2001:db8::53"};
        // 5 s of traffic with a jittered order, a stretch an hour later, and a few times far before
        // the first (a clock stepped back): growth to the right, to the left and in width.
        for (int i = 0; i < 20_000; i++) {
            long t;
            if (i % 1000 == 999) {
                t = TestExchanges.T0 - random.nextInt(100) * S;
            } else if (i > 15_000) {
                t = TestExchanges.T0 + 3600 * S + random.nextInt(10) * S;
            } else {
                t = TestExchanges.T0 + i * 250_000L - random.nextInt(50) * MS;
            }
            Kind kind = Kind.values()[random.nextInt(4)];
            if (random.nextInt(10) == 0) {
                unanswered.add(new long[] {kind.ordinal(), t, random.nextInt(2), i % 3});
                Exchange server = TestExchanges.of(kind, "10.9.9.9", 1, servers[i % 3], kind == Kind.ICMP ? 0 : 53, 0);
                timeline.onUnanswered(kind, t, server.serverHi, server.serverLo, server.serverPort,
                        (int) unanswered.get(unanswered.size() - 1)[2]);
                continue;
            }
            Exchange e = TestExchanges.of(kind, "10.9.9.9", 1000 + i, servers[i % 3], kind == Kind.ICMP ? 0 : 53,
                    random.nextInt(1000) * 10_000L + random.nextInt(1000));
            e.requestTimeNs = t;
            e.outcome = random.nextInt(7) == 0 ? Outcome.REFUSED : Outcome.ANSWERED;
            e.retransmits = random.nextInt(5) == 0 ? 1 : 0;
            timeline.onExchange(e);
            all.add(e);
        }
        TimeAxis axis = timeline.axis();
        assertTrue(axis.widthNs() > MS, "the axis widened");

        for (Kind kind : Kind.values()) {
            KindTimeline k = timeline.kind(kind);
            long placed = 0;
            for (int p = 0; p < TimeAxis.POINTS; p++) {
                Histogram expected = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                long refused = 0;
                long retransmitted = 0;
                for (Exchange e : all) {
                    if (e.kind == kind && pointOnFinalAxis(axis, e.requestTimeNs) == p) {
                        expected.recordValue(e.latencyNs);
                        min = Math.min(min, e.latencyNs);
                        max = Math.max(max, e.latencyNs);
                        refused += e.outcome == Outcome.REFUSED ? 1 : 0;
                        retransmitted += e.retransmits > 0 ? 1 : 0;
                    }
                }
                long lost = 0;
                for (long[] u : unanswered) {
                    if (u[0] == kind.ordinal() && pointOnFinalAxis(axis, u[1]) == p) {
                        lost++;
                        retransmitted += u[2];
                    }
                }
                Histogram actual = k.buckets(p) == null ? new Histogram(LatencyStats.SIGNIFICANT_DIGITS)
                        : k.buckets(p).toHistogram();
                String at = kind.label() + " point " + p;
                assertEquals(expected.getTotalCount(), k.count(p), at);
                assertEquals(expected, actual, at);
                assertEquals(min, k.minNs(p), at);
                assertEquals(max, k.maxNs(p), at);
                assertEquals(refused, k.refused(p), at);
                assertEquals(retransmitted, k.retransmitted(p), at);
                assertEquals(lost, k.unanswered(p), at);
                placed += k.count(p);
            }
            assertEquals(all.stream().filter(e -> e.kind == kind).count(), placed, kind.label());
        }

        ServerTimelines st = timeline.servers();
        for (Exchange probe : List.of(all.get(0), all.get(1), all.get(2))) {
            ServerKey key = new ServerKey(probe.kind, probe.serverHi, probe.serverLo, probe.serverPort);
            int slot = st.find(key);
            assertNotEquals(ServerTable.FULL, slot);
            for (int g = 0; g < ServerTimelines.POINTS; g++) {
                long count = 0;
                long sum = 0;
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                long refused = 0;
                long retransmitted = 0;
                for (Exchange e : all) {
                    if (e.kind == key.kind() && e.serverHi == key.hi() && e.serverLo == key.lo()
                            && e.serverPort == key.port() && pointOnFinalAxis(axis, e.requestTimeNs) / TimeAxis.GROUP == g) {
                        count++;
                        sum += e.latencyNs;
                        min = Math.min(min, e.latencyNs);
                        max = Math.max(max, e.latencyNs);
                        refused += e.outcome == Outcome.REFUSED ? 1 : 0;
                        retransmitted += e.retransmits > 0 ? 1 : 0;
                    }
                }
                // Exchanges are recorded in batches (ServerTimelines.BATCH), across rescales of
                // the axis: every figure must still be that of recording each one at once.
                String at = key + " group " + g;
                assertEquals(count, st.count(slot, g), at);
                assertEquals(sum, st.sumNs(slot, g), at);
                assertEquals(min, st.minNs(slot, g), at);
                assertEquals(max, st.maxNs(slot, g), at);
                assertEquals(refused, st.refused(slot, g), at);
                assertEquals(retransmitted, st.retransmitted(slot, g) - unansweredRetransmitted(unanswered, servers, axis, key, g), at);
            }
        }
    }

    /** Unanswered requests to {@code key} in group {@code g} that were retransmitted: they count in the same field. */
    private static long unansweredRetransmitted(List<long[]> unanswered, String[] servers, TimeAxis axis, ServerKey key,
                                                int g) {
        long n = 0;
        for (long[] u : unanswered) {
            Kind kind = Kind.values()[(int) u[0]];
            Exchange to = TestExchanges.of(kind, "10.9.9.9", 1, servers[(int) u[3]], kind == Kind.ICMP ? 0 : 53, 0);
            if (kind == key.kind() && to.serverHi == key.hi() && to.serverLo == key.lo() && to.serverPort == key.port()
                    && u[2] > 0 && pointOnFinalAxis(axis, u[1]) / TimeAxis.GROUP == g) {
                n++;
            }
        }
        return n;
    }

    private static long pointOnFinalAxis(TimeAxis axis, long t) {
        return Math.floorDiv(t, axis.widthNs()) - axis.origin();
    }

    @Test
    void percentilesOfMergedTablesAreHdrHistogramsOwn() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            Histogram reference = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
            BucketPercentiles merged = new BucketPercentiles();
            int tables = 1 + random.nextInt(4);
            for (int t = 0; t < tables; t++) {
                LatencyBuckets b = new LatencyBuckets();
                int n = 1 + random.nextInt(round < 100 ? 5 : 3000);
                for (int i = 0; i < n; i++) {
                    long v = (long) Math.exp(random.nextDouble() * Math.log(1e10)); // 1 ns to 10 s, log-uniform
                    if (random.nextInt(10) == 0) {
                        v = 5_000_000; // and a bucket shared between tables
                    }
                    b.record(v);
                    reference.recordValue(v);
                }
                merged.add(b);
            }
            assertEquals(reference.getTotalCount(), merged.totalCount());
            double[] ascending = {0, 0.1, 1, 10, 25, 33.3, 50, 75, 90, 99, 99.9, 99.99, 100};
            long[] inOneWalk = merged.valuesAtPercentiles(ascending);
            for (int k = 0; k < ascending.length; k++) {
                double p = ascending[k];
                assertEquals(reference.getValueAtPercentile(p), merged.valueAtPercentile(p), "round " + round + " p" + p);
                assertEquals(reference.getValueAtPercentile(p), inOneWalk[k], "one walk, round " + round + " p" + p);
            }
            // the summary's three, as it asks for them
            long[] summary = merged.valuesAtPercentiles(50, 90, 99);
            assertEquals(reference.getValueAtPercentile(99), summary[2], "round " + round);
        }
        BucketPercentiles empty = new BucketPercentiles();
        assertEquals(0, empty.valueAtPercentile(50));
        assertArrayEquals(new long[3], empty.valuesAtPercentiles(50, 90, 99), "nothing added: 0s, as HdrHistogram");
        assertThrows(IllegalArgumentException.class, () -> empty.valuesAtPercentiles(90, 50));
    }

    @Test
    void mergedBucketTablesEqualRecordingEverythingInOne() {
        LatencyBuckets a = new LatencyBuckets();
        LatencyBuckets b = new LatencyBuckets();
        LatencyBuckets both = new LatencyBuckets();
        for (long v = 0; v < 2_000_000; v += 13) {
            (v % 3 == 0 ? a : b).record(v);
            both.record(v);
        }
        for (int i = 0; i < 70_000; i++) { // one bucket past a 16-bit wrap in each table, two in the sum
            a.record(5_000);
            b.record(5_000);
            both.record(5_000);
            both.record(5_000);
        }
        a.add(b);
        assertEquals(both.toHistogram(), a.toHistogram());
        assertEquals(140_000, a.toHistogram().getCountAtValue(5_000));
    }
}
