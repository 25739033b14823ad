package dev.flat.core.report;

/**
 * Percentiles of a few {@link LatencyBuckets} tables added together, for the html report's p50
 * and p99 of every time point. The counts are scattered into one reused array indexed by bucket
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
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        long countAtPercentile = Math.max(1, (long) Math.ceil(requested / 100.0 * total));
        long running = 0;
        for (int bucket = Math.max(lowest, 0); bucket <= highest; bucket++) {
            running += counts[bucket];
            if (running >= countAtPercentile) {
                if (percentile == 0.0) {
                    return LatencyBuckets.lowestValueOf(bucket);
                }
                return bucket == LatencyBuckets.BUCKETS - 1 ? Long.MAX_VALUE : LatencyBuckets.lowestValueOf(bucket + 1) - 1;
            }
        }
        return 0;
    }
}
