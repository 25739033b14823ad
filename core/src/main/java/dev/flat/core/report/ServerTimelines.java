package dev.flat.core.report;

import dev.flat.core.match.Kind;
import java.util.Arrays;

/**
 * Per server, its exchanges per point of a coarser axis ({@link TimeAxis#GROUP} axis points to
 * one, {@link #POINTS} points): count, latency sum, min and max (for a mean and a band), and
 * refused, retransmitted and unanswered requests. This is what the busiest servers' sparklines
 * and the page's server filter show; percentiles per point would need a bucket table per server
 * and point, too much for thousands of servers.
 *
 * <p>Bounded: the first {@link #MAX_SERVERS} servers seen get a timeline (3.5 KiB each, 14 MiB for all);
 * a busiest server that came later has none, which the page says. Which servers will be the
 * busiest is only known at the end, so every server is kept until then.
 */
final class ServerTimelines {
    static final int MAX_SERVERS = 4096;
    static final int POINTS = TimeAxis.POINTS / TimeAxis.GROUP;
    /** Fields of a point, in {@link #longs}. */
    private static final int COUNT = 0, SUM = 1, MIN = 2, MAX = 3, REFUSED = 4, RETRANSMITTED = 5, UNANSWERED = 6;
    private static final int FIELDS = 7;

    /**
     * Exchanges per batch ({@link #record}): a server's row is a random line of 14 MiB, not in the
     * cache, so a batch first reads the line of each of its exchanges, all at once, then records
     * them, as {@link Summary} does with its bucket tables and with the same batch size
     * (docs/performance.md, finding 24).
     */
    static final int BATCH = Summary.BATCH;

    private final ServerTable servers = new ServerTable(MAX_SERVERS);
    private final int[] batchSlot = new int[BATCH];
    private final int[] batchIndex = new int[BATCH];
    private final long[] batchNs = new long[BATCH];
    /** Per batched exchange: 1 refused, 2 retransmitted. */
    private final byte[] batchFlags = new byte[BATCH];
    private int batched;
    /** What the batch's early reads returned, kept so that the compiler cannot drop them. */
    private long peeked;
    /** Per server slot, {@link #POINTS} × {@link #FIELDS} longs, point-major. */
    private long[][] longs = new long[64][];
    private final long[] scratch = new long[POINTS * FIELDS];

    /**
     * The server's slot, added if new; {@link ServerTable#FULL} past {@link #MAX_SERVERS}.
     */
    int slotOf(Kind kind, long hi, long lo, int port) {
        int slot = servers.slotOf(kind, hi, lo, port);
        if (slot >= 0 && (slot >= longs.length || longs[slot] == null)) {
            if (slot >= longs.length) {
                longs = Arrays.copyOf(longs, 2 * longs.length);
            }
            longs[slot] = empty();
        }
        return slot;
    }

    /** The slot of a server seen before, or {@link ServerTable#FULL}. */
    int find(ServerKey k) {
        return servers.find(k.kind(), k.hi(), k.lo(), k.port());
    }

    /**
     * An exchange at axis point {@code axisPoint}, recorded with the batch it joins: before the
     * axis is rescaled ({@link #rescale}) and before any figure is read, every batched exchange
     * is recorded ({@link #applyBatch}).
     */
    void record(int slot, int axisPoint, long latencyNs, boolean refused, boolean retransmitted) {
        int n = batched;
        batchSlot[n] = slot;
        batchIndex[n] = axisPoint / TimeAxis.GROUP * FIELDS;
        batchNs[n] = latencyNs;
        batchFlags[n] = (byte) ((refused ? 1 : 0) | (retransmitted ? 2 : 0));
        if ((batched = n + 1) == BATCH) {
            applyBatch();
        }
    }

    /** Records the batched exchanges: first a read of each one's line, then the records in order. */
    private void applyBatch() {
        int n = batched;
        long p = peeked;
        for (int b = 0; b < n; b++) {
            p += longs[batchSlot[b]][batchIndex[b] + COUNT];
        }
        peeked = p;
        for (int b = 0; b < n; b++) {
            long[] s = longs[batchSlot[b]];
            int i = batchIndex[b];
            long latencyNs = batchNs[b];
            s[i + COUNT]++;
            s[i + SUM] += latencyNs;
            s[i + MIN] = Math.min(s[i + MIN], latencyNs);
            s[i + MAX] = Math.max(s[i + MAX], latencyNs);
            s[i + REFUSED] += batchFlags[b] & 1;
            s[i + RETRANSMITTED] += batchFlags[b] >> 1;
        }
        batched = 0;
    }

    /** Records whatever is batched: the figures read after this are complete. */
    void flush() {
        if (batched > 0) {
            applyBatch();
        }
    }

    void recordUnanswered(int slot, int axisPoint, boolean retransmitted) {
        long[] s = longs[slot];
        int i = axisPoint / TimeAxis.GROUP * FIELDS;
        s[i + UNANSWERED]++;
        if (retransmitted) {
            s[i + RETRANSMITTED]++;
        }
    }

    /**
     * Moves each server's points to the rescaled axis in place, through one scratch copy: new
     * arrays for thousands of servers at every rescale made the old generation grow by
     * 10 MiB of garbage each time (RSS 240 MiB instead of 130 on the benchmark capture).
     */
    void rescale(TimeAxis.Rescale r) {
        flush(); // the batch's points are on the axis before this rescale
        long[] old = scratch;
        for (int slot = 0; slot < servers.size(); slot++) {
            long[] s = longs[slot];
            System.arraycopy(s, 0, old, 0, s.length);
            clear(s);
            for (int g = 0; g < POINTS; g++) {
                int o = g * FIELDS;
                if (old[o + COUNT] == 0 && old[o + UNANSWERED] == 0) {
                    continue;
                }
                int n = r.newGroup(g) * FIELDS;
                s[n + COUNT] += old[o + COUNT];
                s[n + SUM] += old[o + SUM];
                s[n + MIN] = Math.min(s[n + MIN], old[o + MIN]);
                s[n + MAX] = Math.max(s[n + MAX], old[o + MAX]);
                s[n + REFUSED] += old[o + REFUSED];
                s[n + RETRANSMITTED] += old[o + RETRANSMITTED];
                s[n + UNANSWERED] += old[o + UNANSWERED];
            }
        }
    }

    long count(int slot, int point) { return longs[slot][point * FIELDS + COUNT]; }
    long sumNs(int slot, int point) { return longs[slot][point * FIELDS + SUM]; }
    long minNs(int slot, int point) { return longs[slot][point * FIELDS + MIN]; }
    long maxNs(int slot, int point) { return longs[slot][point * FIELDS + MAX]; }
    long refused(int slot, int point) { return longs[slot][point * FIELDS + REFUSED]; }
    long retransmitted(int slot, int point) { return longs[slot][point * FIELDS + RETRANSMITTED]; }
    long unanswered(int slot, int point) { return longs[slot][point * FIELDS + UNANSWERED]; }

    private static long[] empty() {
        long[] s = new long[POINTS * FIELDS];
        clear(s);
        return s;
    }

    private static void clear(long[] s) {
        Arrays.fill(s, 0);
        for (int i = 0; i < s.length; i += FIELDS) {
            s[i + MIN] = Long.MAX_VALUE;
            s[i + MAX] = Long.MIN_VALUE;
        }
    }
}
