package dev.flat.core.report;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Latency distribution of one group of exchanges (a kind, a server). Count, min, max and mean
 * are exact (integer ns); percentiles come from an HdrHistogram of ns values with 3 significant
 * decimal digits, i.e. within 0.1% of the true value, clamped to [min, max] so that a
 * percentile never lies outside what was measured.
 *
 * <p>A plain {@link Histogram} sizes its counts array by the range of values: about 90 KiB once
 * a 1 ms latency is recorded, 200 KiB at 10 s. That is fine for the four kinds but not for
 * thousands of servers, so servers use a {@link PackedHistogram}: the same buckets (hence the
 * same percentiles) stored sparsely, a few hundred bytes for a server with few distinct
 * latencies and growing with the buckets actually used, never with the range.
 */
public final class LatencyStats {
    static final int SIGNIFICANT_DIGITS = 3;

    private final AbstractHistogram histogram;
    private long count;
    private long sumNs;
    private long minNs = Long.MAX_VALUE;
    private long maxNs = Long.MIN_VALUE;

    private LatencyStats(AbstractHistogram histogram) {
        this.histogram = histogram;
    }

    /** For one of the few per-kind groups: the fastest histogram. */
    public static LatencyStats dense() {
        return new LatencyStats(new Histogram(SIGNIFICANT_DIGITS));
    }

    /** For one of possibly many servers: memory follows the buckets in use. */
    public static LatencyStats sparse() {
        return new LatencyStats(new PackedHistogram(SIGNIFICANT_DIGITS));
    }

    /** Negative latencies (a capture whose clock stepped back) are recorded as 0 in the histogram. */
    public void record(long ns) {
        count++;
        sumNs += ns;
        minNs = Math.min(minNs, ns);
        maxNs = Math.max(maxNs, ns);
        histogram.recordValue(Math.max(0, ns));
    }

    public long count() { return count; }

    /** The figures, or null when nothing was recorded. */
    public LatencyFigures figures() {
        if (count == 0) {
            return null;
        }
        long mean = Math.floorDiv(sumNs, count);
        if (2 * Math.floorMod(sumNs, count) >= count) {
            mean++; // round half up, in integers: no double in between
        }
        return new LatencyFigures(minNs, Math.max(minNs, Math.min(maxNs, mean)),
                percentile(50), percentile(90), percentile(99), maxNs);
    }

    private long percentile(double p) {
        return Math.max(minNs, Math.min(maxNs, histogram.getValueAtPercentile(p)));
    }
}
