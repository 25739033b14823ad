package dev.flat.core.report;

import org.HdrHistogram.Histogram;

/**
 * Latency distribution of one group of exchanges (a kind, a server). Count, min, max and mean
 * are exact (integer ns); percentiles come from an HdrHistogram of ns values with 3 significant
 * decimal digits, i.e. within 0.1% of the true value, clamped to [min, max] so that a
 * percentile never lies outside what was measured.
 *
 * <p>The counts are kept per bucket in a sparse table ({@link LatencyBuckets}): a dense
 * {@link Histogram} would hold about 200 KiB per group up to a 10 s latency, too much for
 * thousands of servers, and HdrHistogram's own sparse form ({@code PackedHistogram}) took most of
 * the time of a large analysis to record. The percentiles are those a dense histogram of the same
 * buckets would give, read from the buckets themselves ({@link BucketPercentiles}); a dense
 * histogram is built only for the html report's distribution plots.
 */
public final class LatencyStats {
    static final int SIGNIFICANT_DIGITS = 3;

    /** Null for a group whose buckets are the sum of other groups' (a kind: its servers'). */
    private final LatencyBuckets buckets;
    private long count;
    private long sumNs;
    private long minNs = Long.MAX_VALUE;
    private long maxNs = Long.MIN_VALUE;

    private LatencyStats(LatencyBuckets buckets) {
        this.buckets = buckets;
    }

    /** A group with its own histogram buckets. */
    public LatencyStats() {
        this(new LatencyBuckets());
    }

    /**
     * A group that keeps the exact figures only; its percentiles come from buckets the caller
     * merges from other groups ({@link #figuresFrom}).
     */
    static LatencyStats exactOnly() {
        return new LatencyStats(null);
    }

    /** Negative latencies (a capture whose clock stepped back) are recorded as 0 in the histogram. */
    public void record(long ns) {
        count++;
        sumNs += ns;
        minNs = Math.min(minNs, ns);
        maxNs = Math.max(maxNs, ns);
        if (buckets != null) {
            buckets.record(Math.max(0, ns));
        }
    }

    /**
     * Reads what {@link #record} of {@code ns} will read first, changing nothing, and returns it
     * (for the caller to keep, so that the load is not optimised away): see {@link LatencyBuckets#peek}.
     */
    int peek(long ns) {
        return buckets == null ? 0 : buckets.peek(Math.max(0, ns));
    }

    public long count() { return count; }

    /** The figures, or null when nothing was recorded. */
    public LatencyFigures figures() {
        return figures(new BucketPercentiles());
    }

    /** The same, with {@code scratch} (reset here) to add this group's buckets to: one array for many groups. */
    LatencyFigures figures(BucketPercentiles scratch) {
        if (buckets == null) {
            throw new IllegalStateException("an exact-only group's percentiles need its members' buckets");
        }
        scratch.reset();
        scratch.add(buckets);
        return figuresFrom(scratch);
    }

    /** Adds this group's bucket counts to {@code p}. */
    void addBucketsTo(BucketPercentiles p) {
        p.add(buckets);
    }

    /** Adds this group's bucket counts to {@code h} ({@link #SIGNIFICANT_DIGITS} digits). */
    void addBucketsTo(Histogram h) {
        buckets.addTo(h);
    }

    /**
     * The figures with percentiles from {@code percentiles}, which must hold exactly the values
     * recorded here (for a kind: the sum of its servers' buckets); null when nothing was recorded.
     * The percentiles are HdrHistogram's for those buckets ({@link BucketPercentiles}), read in one
     * walk rather than from a dense histogram built for the purpose and walked once per percentile.
     */
    LatencyFigures figuresFrom(BucketPercentiles percentiles) {
        if (count == 0) {
            return null;
        }
        long mean = Math.floorDiv(sumNs, count);
        if (2 * Math.floorMod(sumNs, count) >= count) {
            mean++; // round half up, in integers: no double in between
        }
        long[] p = percentiles.valuesAtPercentiles(50, 90, 99);
        return new LatencyFigures(minNs, Math.max(minNs, Math.min(maxNs, mean)),
                clamp(p[0]), clamp(p[1]), clamp(p[2]), maxNs);
    }

    /** A percentile never outside what was measured (the bucket's highest value may exceed the maximum). */
    private long clamp(long percentile) {
        return Math.max(minNs, Math.min(maxNs, percentile));
    }
}
