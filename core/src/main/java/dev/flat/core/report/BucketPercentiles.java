package dev.flat.core.report;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a few {@link LatencyBuckets} tables added together: the html report's p50 and
 * p99 of every time point, and the summary's percentiles of each kind and of the busiest servers. The counts are scattered into one reused array indexed by bucket
 * and read over the range of buckets in use only, then cleared the same way: a fresh dense
 * {@link org.HdrHistogram.Histogram} per point cost a reset and scans of its whole counts array
 * (some 20 000 entries for latencies up to 100 ms), and sorting the sparse entries cost more
 * still. The result is what {@code Histogram.getValueAtPercentile} gives for the same counts
 * (HdrHistogram's rule: the first bucket whose running count reaches ⌈p/100 × total⌉, at least 1,
 * and that bucket's highest value; its lowest for p = 0), which a test checks.
 */
final class BucketPercentiles {
    /** Count per bucket; zero outside [{@link #lowest}, {@link #highest}] between uses. */
    private final long[] counts = new long[LatencyBuckets.BUCKETS];
    private int lowest = Integer.MAX_VALUE;
    private int highest = -1;
    private long total;

    /** Forgets what was added, clearing only the range in use. */
    void reset() {
        if (highest >= 0) {
            java.util.Arrays.fill(counts, lowest, highest + 1, 0);
        }
        lowest = Integer.MAX_VALUE;
        highest = -1;
        total = 0;
    }

    void add(LatencyBuckets buckets) {
        long[] c = counts;
        int lo = lowest;
        int hi = highest;
        long sum = 0;
        for (int i = 0, n = buckets.capacity(); i < n; i++) {
            long count = buckets.countAt(i);
            if (count != 0) {
                int bucket = buckets.bucketAt(i);
                c[bucket] += count;
                sum += count;
                lo = Math.min(lo, bucket);
                hi = Math.max(hi, bucket);
            }
        }
        lowest = lo;
        highest = hi;
        total += sum;
    }

    long totalCount() { return total; }

    /** The value at {@code percentile} (0 to 100); 0 when nothing was added. */
    long valueAtPercentile(double percentile) {
        return valuesAtPercentiles(percentile)[0];
    }

    /** A dense histogram of what was added: for the html report's distribution plots. */
    Histogram toHistogram() {
        Histogram h = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        for (int bucket = Math.max(lowest, 0); bucket <= highest; bucket++) {
            if (counts[bucket] != 0) {
                h.recordValueWithCount(LatencyBuckets.lowestValueOf(bucket), counts[bucket]);
            }
        }
        return h;
    }

    /**
     * The values at {@code ascending} percentiles (0 to 100, in ascending order), in one walk over
     * the buckets in use: the summary's p50, p90 and p99 of a kind or a server, read once at the
     * end of a run while its code is still interpreted; 0s when nothing was added.
     */
    long[] valuesAtPercentiles(double... ascending) {
        for (int k = 1; k < ascending.length; k++) {
            if (ascending[k] < ascending[k - 1]) {
                throw new IllegalArgumentException("percentiles not in ascending order: " + java.util.Arrays.toString(ascending));
            }
        }
        long[] values = new long[ascending.length];
        long running = 0;
        int bucket = Math.max(lowest, 0);
        for (int k = 0; k < ascending.length; k++) {
            long countAtPercentile = countAtPercentile(ascending[k]);
            while (bucket <= highest && running + counts[bucket] < countAtPercentile) {
                running += counts[bucket++];
            }
            if (bucket > highest) {
                break; // nothing added (or fewer counts than asked for): 0, as HdrHistogram returns
            }
            values[k] = valueOf(bucket, ascending[k]);
        }
        return values;
    }

    /** HdrHistogram's answer once the walk stops at {@code bucket}: its highest value, its lowest for p = 0. */
    private static long valueOf(int bucket, double percentile) {
        if (percentile == 0.0) {
            return LatencyBuckets.lowestValueOf(bucket);
        }
        return bucket == LatencyBuckets.BUCKETS - 1 ? Long.MAX_VALUE : LatencyBuckets.lowestValueOf(bucket + 1) - 1;
    }

    /** HdrHistogram 2.2's count to reach, in its order of operations (its bytecode: nextAfter, max, min, multiply, divide, ceil). */
    private long countAtPercentile(double percentile) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        return Math.max(1, (long) Math.ceil(requested * total / 100.0));
    }
}
