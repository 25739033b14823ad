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

    private final LatencyBuckets buckets = new LatencyBuckets();
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
        buckets.record(Math.max(0, ns));
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
        Histogram histogram = buckets.toHistogram();
        return new LatencyFigures(minNs, Math.max(minNs, Math.min(maxNs, mean)),
                percentile(histogram, 50), percentile(histogram, 90), percentile(histogram, 99), maxNs);
    }

    private long percentile(Histogram histogram, double p) {
        return Math.max(minNs, Math.min(maxNs, histogram.getValueAtPercentile(p)));
    }
}
