package dev.flat.core.report;

import org.HdrHistogram.Histogram;

/**
 * Latency distribution of one group of exchanges (a kind, a server). Count, min, max and mean
 * are exact (integer ns); percentiles come from an HdrHistogram with 3 significant decimal
 * digits, i.e. within 0.1% of the true value, clamped to [min, max] so that a percentile
 * never lies outside what was measured. The histogram auto-resizes: its memory follows the
 * largest latency recorded, not a configured ceiling.
 */
public final class LatencyStats {
    static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    private long count;
    private long sumNs;
    private long minNs = Long.MAX_VALUE;
    private long maxNs = Long.MIN_VALUE;

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
