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
 * the time of a large analysis to record. The dense histogram is built only when the figures are
 * asked for, with the same buckets, hence the same percentiles.
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
     * A group that keeps the exact figures only; its percentiles come from a histogram the caller
     * merges from other groups ({@link #figures(Histogram)}).
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
        if (buckets == null) {
            throw new IllegalStateException("an exact-only group's percentiles need its members' buckets");
        }
        return figures(buckets.toHistogram());
    }

    /** Adds this group's bucket counts to {@code h} ({@link #SIGNIFICANT_DIGITS} digits). */
    void addBucketsTo(Histogram h) {
        buckets.addTo(h);
    }

    /** Adds this group's bucket counts to {@code counts}, indexed by bucket ({@link LatencyBuckets#addTo(long[])}). */
    void addBucketsTo(long[] counts) {
        buckets.addTo(counts);
    }

    /**
     * The figures with percentiles from {@code histogram}, which must hold exactly the values
     * recorded here (for a kind: the sum of its servers' buckets); null when nothing was recorded.
     */
    LatencyFigures figures(Histogram histogram) {
        if (count == 0) {
            return null;
        }
        long mean = Math.floorDiv(sumNs, count);
        if (2 * Math.floorMod(sumNs, count) >= count) {
            mean++; // round half up, in integers: no double in between
        }
        return new LatencyFigures(minNs, Math.max(minNs, Math.min(maxNs, mean)),
                percentile(histogram, 50), percentile(histogram, 90), percentile(histogram, 99), maxNs);
    }

    private long percentile(Histogram histogram, double p) {
        return Math.max(minNs, Math.min(maxNs, histogram.getValueAtPercentile(p)));
    }
}
