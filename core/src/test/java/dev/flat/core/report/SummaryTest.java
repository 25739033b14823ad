package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void figuresPerKindAreExactAtTheEndsAndWithinAPermilleInBetween() {
        Summary s = new Summary();
        for (long ms = 1; ms <= 100; ms++) {
            s.onExchange(TestExchanges.tcp(ms * 1_000_000 + 1)); // +1 ns: min/max must keep it
        }
        KindTotals t = s.kind(Kind.TCP);
        assertEquals(100, t.exchanges());
        assertEquals(100, t.answered());
        LatencyFigures f = t.latency();
        assertEquals(1_000_001, f.minNs());
        assertEquals(100_000_001, f.maxNs());
        assertEquals(50_500_001, f.meanNs());
        assertWithinPermille(50_000_001, f.p50Ns());
        assertWithinPermille(90_000_001, f.p90Ns());
        assertWithinPermille(99_000_001, f.p99Ns());
        assertNull(s.kind(Kind.DNS).latency());
        assertEquals(f, s.busiestServers(1).get(0).latency(), "the sparse per-server histogram has the same buckets");
    }

    @Test
    void sparseBucketsGiveExactlyTheHistogramsPercentiles() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        LatencyStats stats = new LatencyStats();
        org.HdrHistogram.Histogram reference = new org.HdrHistogram.Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        for (int i = 0; i < 100_000; i++) {
            // log-uniform from 1 ns to 100 s, plus repeats: every bucket size and table growth
            long ns = i % 3 == 0 ? 1_234_567 : (long) Math.pow(10, random.nextDouble(0, 11));
            stats.record(ns);
            reference.recordValue(ns);
        }
        LatencyFigures f = stats.figures();
        for (double p : new double[] {50, 90, 99}) {
            long expected = Math.max(f.minNs(), Math.min(f.maxNs(), reference.getValueAtPercentile(p)));
            long actual = p == 50 ? f.p50Ns() : p == 90 ? f.p90Ns() : f.p99Ns();
            assertEquals(expected, actual, "p" + p);
        }
    }

    /**
     * Server figures are applied in batches ({@link Summary#BATCH}); whenever they are read, after
     * any number of exchanges (a partial batch, exact batches, one past), they are those of
     * recording every exchange at once: compared with a {@link LatencyStats} per server fed
     * directly, figure for figure and count for count.
     */
    @Test
    void serverFiguresReadAtAnyPointIncludeEveryExchangeSoFar() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        Summary s = new Summary();
        java.util.Map<String, LatencyStats> reference = new java.util.HashMap<>();
        String[] servers = {"192.0.2.1", "192.0.2.2", "2001:db8::53"};
        int[] readAfter = {1, Summary.BATCH - 1, Summary.BATCH, Summary.BATCH + 1, 3 * Summary.BATCH, 1_000, 1_001};
        int recorded = 0;
        for (int readAt : readAfter) {
            for (; recorded < readAt; recorded++) {
                String server = servers[random.nextInt(servers.length)];
                long ns = (long) Math.pow(10, random.nextDouble(3, 9));
                s.onExchange(TestExchanges.of(Kind.DNS, "198.51.100.7", 40_000 + recorded, server, 53, ns));
                reference.computeIfAbsent(server, k -> new LatencyStats()).record(ns);
            }
            List<ServerTotals> busiest = s.busiestServers(servers.length);
            assertEquals(reference.size(), busiest.size(), "after " + readAt);
            long total = 0;
            for (ServerTotals t : busiest) {
                LatencyStats expected = reference.get(AddressText.format(t.server().hi(), t.server().lo()));
                assertEquals(expected.count(), t.exchanges(), "after " + readAt);
                assertEquals(expected.figures(), t.latency(), "after " + readAt);
                total += t.exchanges();
            }
            assertEquals(readAt, total);
            assertEquals(readAt, s.kind(Kind.DNS).exchanges());
        }
    }

    @Test
    void percentilesNeverExceedTheMeasuredMaximum() {
        Summary s = new Summary();
        s.onExchange(TestExchanges.tcp(123_456_789));
        LatencyFigures f = s.kind(Kind.TCP).latency();
        assertEquals(123_456_789, f.p99Ns());
        assertEquals(123_456_789, f.p50Ns());
    }

    @Test
    void refusedCountsAsAnExchangeButNotAsAnswered() {
        Summary s = new Summary();
        Exchange e = TestExchanges.tcp(1000);
        e.outcome = Outcome.REFUSED;
        s.onExchange(e);
        s.onExchange(TestExchanges.tcp(3000));
        KindTotals t = s.kind(Kind.TCP);
        assertEquals(2, t.exchanges());
        assertEquals(1, t.answered());
        assertEquals(1, t.refused());
        assertEquals(2000, t.latency().meanNs());
    }

    @Test
    void busiestServersByCountIcmpWithoutPort() {
        Summary s = new Summary();
        for (int i = 0; i < 3; i++) {
            s.onExchange(TestExchanges.of(Kind.DNS, "10.0.0.1", 5000 + i, "10.0.0.53", 53, 2000));
        }
        s.onExchange(TestExchanges.of(Kind.ICMP, "10.0.0.1", 7, "2001:db8::1", 9, 5000));
        s.onExchange(TestExchanges.of(Kind.ICMP, "10.0.0.1", 7, "2001:db8::1", 10, 7000)); // seq differs: same server
        s.onExchange(TestExchanges.tcp(1000));
        List<ServerTotals> top = s.busiestServers(2);
        assertEquals(2, top.size());
        assertEquals("10.0.0.53:53", top.get(0).server().endpoint());
        assertEquals(3, top.get(0).exchanges());
        assertEquals("2001:db8::1", top.get(1).server().endpoint());
        assertEquals(2, top.get(1).exchanges());
        assertEquals(6000, top.get(1).latency().meanNs());
        assertEquals(3, s.serverCount());
    }

    /**
     * The busiest n for every n are the first n of all servers sorted by count, then kind, then
     * address as an unsigned number, then port: many ties, addresses on both sides of the sign
     * bit, one kind with ports and one without.
     */
    @Test
    void busiestServersAreThoseOfAFullSortForEveryCount() {
        Summary s = new Summary();
        String[] addresses = {"10.0.0.1", "10.0.0.2", "200.0.0.1", "2001:db8::1", "fe80::1", "ff02::2"};
        int exchanges = 0;
        for (int a = 0; a < addresses.length; a++) {
            for (int port = 1; port <= 4; port++) {
                for (Kind kind : new Kind[] {Kind.DNS, Kind.UDP}) {
                    for (int i = 0; i < 1 + (a + port) % 3; i++) { // counts 1 to 3: many ties
                        s.onExchange(TestExchanges.of(kind, "192.0.2.9", 1000 + exchanges++, addresses[a], port, 5000));
                    }
                }
            }
            s.onExchange(TestExchanges.of(Kind.ICMP, "192.0.2.9", 7, addresses[a], 1, 5000));
        }
        List<ServerTotals> all = new java.util.ArrayList<>(s.busiestServers(Integer.MAX_VALUE));
        assertEquals(s.serverCount(), all.size());
        List<ServerTotals> sorted = new java.util.ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparingLong(ServerTotals::exchanges).reversed()
                .thenComparing(t -> t.server().kind())
                .thenComparing(t -> t.server().hi(), Long::compareUnsigned)
                .thenComparing(t -> t.server().lo(), Long::compareUnsigned)
                .thenComparingInt(t -> t.server().port()));
        assertEquals(sorted, all);
        for (int n = 0; n <= all.size() + 1; n++) {
            assertEquals(sorted.subList(0, Math.min(n, sorted.size())), s.busiestServers(n), "n = " + n);
        }
        assertEquals(List.of(), s.busiestServers(-1));
    }

    @Test
    void serversBeyondTheLimitAreCountedNotDropped() {
        Summary s = new Summary();
        for (int i = 0; i < Summary.MAX_SERVERS + 5; i++) {
            // the untracked exchanges are the slowest: the kind's p99 and max must still see them
            Exchange e = TestExchanges.tcp(i < Summary.MAX_SERVERS ? 1000 : 9_000_000);
            e.serverLo = 0xFFFF_0A00_0000L + i; // 10.x.y.z, a different server each time
            s.onExchange(e);
        }
        Exchange other = TestExchanges.of(Kind.UDP, "10.0.0.1", 1, "10.0.0.2", 123, 5_000_000);
        for (int i = 0; i < 1000; i++) {
            s.onExchange(other); // another kind's buckets must not leak into tcp's
        }
        assertEquals(Summary.MAX_SERVERS, s.serverCount());
        assertEquals(1000 + 5, s.untrackedServerExchanges());
        KindTotals tcp = s.kind(Kind.TCP);
        assertEquals(Summary.MAX_SERVERS + 5, tcp.exchanges());
        assertEquals(1000, tcp.latency().p99Ns(), "5 in 65 541 are above the 99th percentile");
        assertEquals(9_000_000, tcp.latency().maxNs());
        assertEquals(1000, tcp.latency().p50Ns());
        assertEquals(5_000_000, s.kind(Kind.UDP).latency().p50Ns(), "untracked exchanges keep their kind's percentiles");
    }

    private static void assertWithinPermille(long expected, long actual) {
        assertEquals(expected, actual, expected / 1000.0, "3 significant digits");
    }
    /**
     * A kind's merged buckets are kept between reads ({@code Summary.bucketsOf}): read, then more
     * exchanges of that kind and of another, then read again, its figures and histogram are those
     * of a summary that saw every exchange before its first read.
     */
    @Test
    void kindFiguresReadAgainAfterMoreExchangesIncludeThem() {
        Summary read = new Summary();
        Summary once = new Summary();
        for (long ms = 1; ms <= 50; ms++) {
            read.onExchange(TestExchanges.tcp(ms * 1_000_000));
            once.onExchange(TestExchanges.tcp(ms * 1_000_000));
        }
        LatencyFigures first = read.kind(Kind.TCP).latency();
        assertEquals(first, read.kind(Kind.TCP).latency(), "read twice, unchanged");
        assertEquals(50, read.histogram(Kind.TCP).getTotalCount());
        for (long ms = 500; ms <= 600; ms++) {
            read.onExchange(TestExchanges.tcp(ms * 1_000_000));
            once.onExchange(TestExchanges.tcp(ms * 1_000_000));
        }
        LatencyFigures second = read.kind(Kind.TCP).latency();
        assertEquals(once.kind(Kind.TCP).latency(), second);
        assertEquals(once.histogram(Kind.TCP), read.histogram(Kind.TCP));
        assertEquals(151, read.histogram(Kind.TCP).getTotalCount());
        assertTrue(first.p50Ns() < second.p50Ns(), first + " then " + second);
    }
}
