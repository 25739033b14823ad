package dev.flat.core.report;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.ExchangeListener;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.HdrHistogram.Histogram;

/**
 * Aggregates exchanges per kind and per server; a known server is found without allocating
 * ({@link ServerTable}). Refused exchanges (SYN answered by RST) count as exchanges and their
 * round trip enters the latency figures: the RST travelled the same path a SYN/ACK would have.
 *
 * <p>Memory is bounded: at most {@link #MAX_SERVERS} distinct servers get figures of their own
 * (sparse bucket counts each, see {@link LatencyStats}). Exchanges with servers beyond
 * that still count in their kind's figures and are counted in {@link #untrackedServerExchanges()}
 * (shown as a warning), never dropped silently.
 *
 * <p>Each exchange updates one table of bucket counts, its server's: a kind keeps only its exact
 * figures (count, sum, min, max) while streaming, and its percentiles come from the sum of its
 * servers' buckets (and those of its untracked exchanges) when asked for. The counts are the
 * same as if the kind had its own table, hence the same percentiles, at half the random memory
 * accesses per exchange.
 *
 * <p>The servers' figures are updated {@value #BATCH} exchanges at a time. With thousands of
 * servers their bucket tables are not in the cache, and a record waits for its table entry: one
 * cache miss per exchange, and the largest single cost of the thread that writes the report
 * (docs/performance.md, findings 11 and 21). A batch first reads the entry each of its records
 * will update, loads that do not depend on one another and so wait for memory together, then
 * records them in order, from the cache. Every read of the figures applies the batch first, so
 * the figures are exactly those of recording each exchange as it comes.
 */
public final class Summary implements ExchangeListener {
    public static final int MAX_SERVERS = 65_536;
    public static final int DEFAULT_TOP = 10;

    private final Map<Kind, KindCounter> kinds = new EnumMap<>(Kind.class);
    private final ServerTable servers = new ServerTable(MAX_SERVERS);
    /** Per server slot ({@link ServerTable}): plain arrays, so that a known server costs no hop through a list. */
    private LatencyStats[] serverLatency = new LatencyStats[64];
    private long[] serverRefused = new long[64];
    private long untrackedServerExchanges;
    /** Exchanges per batch of server figures: enough misses in flight to fill the core's miss buffers. */
    static final int BATCH = 32;
    private final int[] batchSlot = new int[BATCH];
    private final long[] batchNs = new long[BATCH];
    private int batched;
    /** What the batch's early reads returned, kept so that the compiler cannot drop them. */
    private int peeked;
    /** Where a server's figures read at the end are computed; made at the first read. */
    private BucketPercentiles percentiles;
    /**
     * Per kind, its servers' buckets merged ({@link #bucketsOf}) when the kind had
     * {@link #mergedAtCount} exchanges: an html report reads each kind's figures twice and its
     * histogram once, and the merge of thousands of servers' tables is the same until the kind's
     * next exchange (docs/performance.md, finding 33). 442 KiB per kind, made at the first read.
     */
    private final BucketPercentiles[] merged = new BucketPercentiles[Kind.values().length];
    private final long[] mergedAtCount = new long[Kind.values().length];

    public Summary() {
        for (Kind k : Kind.values()) {
            kinds.put(k, new KindCounter());
        }
    }

    @Override
    public void onExchange(Exchange e) {
        boolean refused = e.outcome == Outcome.REFUSED;
        KindCounter kc = kinds.get(e.kind);
        kc.latency.record(e.latencyNs);
        if (refused) {
            kc.refused++;
        }
        int slot = servers.slotOf(e.kind, e.serverHi, e.serverLo, e.kind == Kind.ICMP ? 0 : e.serverPort);
        if (slot == ServerTable.FULL) {
            untrackedServerExchanges++;
            kc.untracked.record(e.latencyNs);
            return;
        }
        if (slot == serverLatency.length) {
            serverLatency = Arrays.copyOf(serverLatency, 2 * slot);
            serverRefused = Arrays.copyOf(serverRefused, 2 * slot);
        }
        if (serverLatency[slot] == null) {
            serverLatency[slot] = new LatencyStats();
        }
        if (refused) {
            serverRefused[slot]++;
        }
        batchSlot[batched] = slot;
        batchNs[batched] = e.latencyNs;
        if (++batched == BATCH) {
            applyBatch();
        }
    }

    /** Records the batched exchanges in their servers' figures: all their first reads, then the records. */
    private void applyBatch() {
        int n = batched;
        int p = peeked;
        for (int i = 0; i < n; i++) {
            p += serverLatency[batchSlot[i]].peek(batchNs[i]);
        }
        peeked = p;
        for (int i = 0; i < n; i++) {
            serverLatency[batchSlot[i]].record(batchNs[i]);
        }
        batched = 0;
    }

    public KindTotals kind(Kind kind) {
        applyBatch();
        KindCounter kc = kinds.get(kind);
        long n = kc.latency.count();
        return new KindTotals(n, n - kc.refused, kc.refused, kc.latency.figuresFrom(bucketsOf(kind, kc)));
    }

    /** Every latency of the kind, in a histogram: for the html report's distribution plots. */
    Histogram histogram(Kind kind) {
        applyBatch();
        return bucketsOf(kind, kinds.get(kind)).toHistogram();
    }

    /** Every latency of one of {@link #busiestServers}' servers, in a histogram. */
    Histogram histogram(ServerKey k) {
        applyBatch();
        Histogram h = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        serverLatency[servers.find(k.kind(), k.hi(), k.lo(), k.port())].addBucketsTo(h);
        return h;
    }

    /**
     * The kind's buckets: the sum of its servers' bucket counts and its untracked exchanges',
     * merged again only when the kind has had exchanges since the last merge (every exchange
     * counts in {@code kc.latency}, and the caller has applied the batch).
     */
    private BucketPercentiles bucketsOf(Kind kind, KindCounter kc) {
        int k = kind.ordinal();
        BucketPercentiles p = merged[k];
        if (p != null && mergedAtCount[k] == kc.latency.count()) {
            return p;
        }
        if (p == null) {
            p = merged[k] = new BucketPercentiles();
        }
        p.reset();
        for (int i = 0; i < servers.size(); i++) {
            if (servers.key(i).kind() == kind) {
                serverLatency[i].addBucketsTo(p);
            }
        }
        kc.untracked.addBucketsTo(p);
        mergedAtCount[k] = kc.latency.count();
        return p;
    }

    /** Total exchanges over every kind. */
    public long exchanges() {
        long n = 0;
        for (KindCounter kc : kinds.values()) {
            n += kc.latency.count();
        }
        return n;
    }

    /** The n servers with the most exchanges; ties broken by kind, address (numerically), then port. */
    public List<ServerTotals> busiestServers(int n) {
        applyBatch();
        if (n <= 0) {
            return List.of();
        }
        // The n busiest in a heap whose head is the least busy of them, rather than a sort of
        // every server through a chain of lambdas: this runs once, at the end, in the interpreter,
        // and the lambdas are spun at their first use (docs/performance.md, finding 30).
        PriorityQueue<ServerTotals> busiest = new PriorityQueue<>(Math.min(n, servers.size()) + 1,
                BUSIEST_FIRST.reversed());
        for (int i = 0; i < servers.size(); i++) {
            ServerTotals t = new ServerTotals(servers.key(i), serverLatency[i].count(), serverRefused[i], null);
            if (busiest.size() < n) {
                busiest.add(t);
            } else if (BUSIEST_FIRST.compare(t, busiest.peek()) < 0) {
                busiest.poll();
                busiest.add(t);
            }
        }
        ServerTotals[] ordered = busiest.toArray(new ServerTotals[0]);
        Arrays.sort(ordered, BUSIEST_FIRST);
        List<ServerTotals> top = new ArrayList<>(ordered.length);
        for (ServerTotals t : ordered) {
            top.add(new ServerTotals(t.server(), t.exchanges(), t.refused(), figuresOf(t.server())));
        }
        return top;
    }

    /** Most exchanges first; ties broken by kind, address (numerically, unsigned), then port: a total order. */
    private static final Comparator<ServerTotals> BUSIEST_FIRST = new Comparator<>() {
        @Override
        public int compare(ServerTotals a, ServerTotals b) {
            int c = Long.compare(b.exchanges(), a.exchanges());
            if (c == 0) {
                c = a.server().kind().compareTo(b.server().kind());
            }
            if (c == 0) {
                c = Long.compareUnsigned(a.server().hi(), b.server().hi());
            }
            if (c == 0) {
                c = Long.compareUnsigned(a.server().lo(), b.server().lo());
            }
            return c != 0 ? c : Integer.compare(a.server().port(), b.server().port());
        }
    };

    private LatencyFigures figuresOf(ServerKey k) {
        return serverLatency[servers.find(k.kind(), k.hi(), k.lo(), k.port())].figures(percentiles());
    }

    /** The one array servers' figures read at the end are computed in (442 KiB: not one per server), reset. */
    private BucketPercentiles percentiles() {
        if (percentiles == null) {
            percentiles = new BucketPercentiles();
        }
        percentiles.reset();
        return percentiles;
    }

    public int serverCount() { return servers.size(); }

    /** Exchanges whose server arrived after {@link #MAX_SERVERS} others: in kind figures only. */
    public long untrackedServerExchanges() { return untrackedServerExchanges; }

    private static final class KindCounter {
        /** Every exchange of the kind; buckets in its servers' stats and in {@link #untracked}. */
        final LatencyStats latency = LatencyStats.exactOnly();
        /** Exchanges with servers beyond {@link #MAX_SERVERS}. */
        final LatencyStats untracked = new LatencyStats();
        long refused;
    }
}
