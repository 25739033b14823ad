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
    /**
     * Count per bucket, at index bucket + 1 ({@link #index}): index 0 is where a table's empty
     * entries add their count of 0 ({@link LatencyBuckets#addTo(BucketPercentiles)}), so that its
     * loop has no branch. Zero outside [{@link #lowest}, {@link #highest}] between uses.
     */
    private final long[] counts = new long[LatencyBuckets.BUCKETS + 1];
    private int lowest = Integer.MAX_VALUE;
    private int highest = -1;
    private long total;

    /** Forgets what was added, clearing only the range in use. */
    void reset() {
        if (highest >= 0) {
            java.util.Arrays.fill(counts, index(lowest), index(highest) + 1, 0);
        }
        lowest = Integer.MAX_VALUE;
        highest = -1;
        total = 0;
    }

    void add(LatencyBuckets buckets) {
        buckets.addTo(this);
    }

    /** Adds what was added to {@code other}: its range of buckets only. */
    void add(BucketPercentiles other) {
        if (other.highest < 0) {
            return;
        }
        long[] c = counts;
        long[] o = other.counts;
        for (int i = index(other.lowest), end = index(other.highest); i <= end; i++) {
            c[i] += o[i];
        }
        added(other.lowest, other.highest, other.total);
    }

    /** The counts by {@link #index}, for {@link LatencyBuckets#addTo(BucketPercentiles)} to add to. */
    long[] countsByIndex() { return counts; }

    /** Where a bucket's count is in {@link #countsByIndex}: one past the bucket, as a {@link LatencyBuckets} entry tags it. */
    static int index(int bucket) { return bucket + 1; }

    /** Adds {@code count} to one bucket. */
    void addCount(int bucket, long count) {
        counts[index(bucket)] += count;
        added(bucket, bucket, count);
    }

    /** Records that counts summing to {@code sum} were added within buckets [{@code lo}, {@code hi}]. */
    void added(int lo, int hi, long sum) {
        lowest = Math.min(lowest, lo);
        highest = Math.max(highest, hi);
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
            long count = counts[index(bucket)];
            if (count != 0) {
                h.recordValueWithCount(LatencyBuckets.lowestValueOf(bucket), count);
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
            while (bucket <= highest && running + counts[index(bucket)] < countAtPercentile) {
                running += counts[index(bucket++)];
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
