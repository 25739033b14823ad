package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    @Test
    void bucketsAreHdrHistogramsBucketsForEveryLong() {
        Histogram layout = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        for (int b = 0; b < LatencyBuckets.BUCKETS; b++) {
            long lowest = LatencyBuckets.lowestValueOf(b);
            assertEquals(layout.lowestEquivalentValue(lowest), lowest, "bucket " + b + " starts where HdrHistogram's does");
            assertEquals(b, LatencyBuckets.bucketOf(lowest));
            long highest = layout.highestEquivalentValue(lowest);
            if (highest > 0) { // the last bucket's end overflows a long
                assertEquals(b, LatencyBuckets.bucketOf(highest), "bucket " + b + " ends where HdrHistogram's does");
            }
        }
        assertEquals(LatencyBuckets.BUCKETS - 1, LatencyBuckets.bucketOf(Long.MAX_VALUE));
    }

    @Test
    void theHistogramHoldsEveryRecordedCount() {
        LatencyBuckets buckets = new LatencyBuckets();
        Histogram reference = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        for (long v = 0; v < 3_000_000; v += 7) { // ~430 000 values over ~2 600 buckets: many growths
            buckets.record(v);
            reference.recordValue(v);
        }
        assertEquals(reference, buckets.toHistogram());
    }
}
