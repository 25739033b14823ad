package dev.flat.core.report;

import java.util.Arrays;

/**
 * One kind's exchanges per point of a {@link TimeAxis}: the latency distribution of each point
 * (exact min and max, bucket counts for percentiles as in {@link LatencyStats}) and the counts of
 * refused, retransmitted and unanswered requests. Plain arrays indexed by point; a point's
 * bucket table is allocated when its first exchange arrives.
 */
final class KindTimeline {
    private LatencyBuckets[] buckets = new LatencyBuckets[TimeAxis.POINTS];
    private long[] count = new long[TimeAxis.POINTS];
    private long[] minNs = filled(Long.MAX_VALUE);
    private long[] maxNs = filled(Long.MIN_VALUE);
    private long[] refused = new long[TimeAxis.POINTS];
    private long[] retransmitted = new long[TimeAxis.POINTS];
    private long[] unanswered = new long[TimeAxis.POINTS];

    /** An exchange measured at {@code point}; negative latencies enter the buckets as 0, as in {@link LatencyStats}. */
    void record(int point, long latencyNs, boolean isRefused, boolean isRetransmitted) {
        LatencyBuckets b = buckets[point];
        if (b == null) {
            // Neighbouring points have alike distributions: sized like the point before, a new
            // point's table need not double its way up from 16 entries (9 % of an html analysis's
            // samples were those regrowths; docs/performance.md).
            LatencyBuckets before = point > 0 ? buckets[point - 1] : null;
            b = buckets[point] = new LatencyBuckets(before == null ? 0 : before.size());
        }
        b.record(Math.max(0, latencyNs));
        count[point]++;
        minNs[point] = Math.min(minNs[point], latencyNs);
        maxNs[point] = Math.max(maxNs[point], latencyNs);
        if (isRefused) {
            refused[point]++;
        }
        if (isRetransmitted) {
            retransmitted[point]++;
        }
    }

    void recordUnanswered(int point, boolean isRetransmitted) {
        unanswered[point]++;
        if (isRetransmitted) {
            retransmitted[point]++;
        }
    }

    /** Moves every point's data to its place on the rescaled axis, merging points that meet. */
    void rescale(TimeAxis.Rescale r) {
        LatencyBuckets[] oldBuckets = buckets;
        long[] oldCount = count;
        long[] oldMin = minNs;
        long[] oldMax = maxNs;
        long[] oldRefused = refused;
        long[] oldRetransmitted = retransmitted;
        long[] oldUnanswered = unanswered;
        buckets = new LatencyBuckets[TimeAxis.POINTS];
        count = new long[TimeAxis.POINTS];
        minNs = filled(Long.MAX_VALUE);
        maxNs = filled(Long.MIN_VALUE);
        refused = new long[TimeAxis.POINTS];
        retransmitted = new long[TimeAxis.POINTS];
        unanswered = new long[TimeAxis.POINTS];
        for (int i = 0; i < TimeAxis.POINTS; i++) {
            if (oldCount[i] == 0 && oldUnanswered[i] == 0) {
                continue;
            }
            int p = r.newPoint(i);
            if (oldBuckets[i] != null) {
                if (buckets[p] == null) {
                    buckets[p] = oldBuckets[i];
                } else {
                    buckets[p].add(oldBuckets[i]);
                }
            }
            count[p] += oldCount[i];
            minNs[p] = Math.min(minNs[p], oldMin[i]);
            maxNs[p] = Math.max(maxNs[p], oldMax[i]);
            refused[p] += oldRefused[i];
            retransmitted[p] += oldRetransmitted[i];
            unanswered[p] += oldUnanswered[i];
        }
    }

    long count(int point) { return count[point]; }
    long minNs(int point) { return minNs[point]; }
    long maxNs(int point) { return maxNs[point]; }
    long refused(int point) { return refused[point]; }
    long retransmitted(int point) { return retransmitted[point]; }
    long unanswered(int point) { return unanswered[point]; }

    /** The point's bucket counts, null when it has no exchange. */
    LatencyBuckets buckets(int point) { return buckets[point]; }

    private static long[] filled(long value) {
        long[] a = new long[TimeAxis.POINTS];
        Arrays.fill(a, value);
        return a;
    }
}
