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

    @Test
    void countsPastSixteenBitsCarryWithoutLoss() {
        LatencyBuckets buckets = new LatencyBuckets();
        Histogram reference = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        // One bucket past two wraps (65 535, 65 536 and 131 072 are the edges), its neighbours
        // below and above one, and a bucket counted once.
        long[][] valueAndCount = {{1_000_000, 140_000}, {1_000_999, 65_536}, {999_000, 65_535}, {5, 1}};
        for (long[] vc : valueAndCount) {
            for (long n = 0; n < vc[1]; n++) {
                buckets.record(vc[0]);
            }
            reference.recordValueWithCount(vc[0], vc[1]);
        }
        assertEquals(reference, buckets.toHistogram());
        assertEquals(140_000, buckets.toHistogram().getCountAtValue(1_000_000));
    }

    /**
     * A table sized in advance (the html timeline sizes a new time point like the one before)
     * counts exactly as one that grew, whatever the hint: none, too small, right, too large, or
     * absurd (capped at the number of buckets there are, not allocated as asked).
     */
    @Test
    void aPresizedTableCountsAsAGrownOne() {
        for (int expected : new int[] {0, 1, 100, 2_600, LatencyBuckets.BUCKETS, Integer.MAX_VALUE}) {
            LatencyBuckets buckets = new LatencyBuckets(expected);
            Histogram reference = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
            for (long v = 0; v < 3_000_000; v += 7) {
                buckets.record(v);
                reference.recordValue(v);
            }
            assertEquals(reference, buckets.toHistogram(), "sized for " + expected);
            assertEquals(reference.getCountAtValue(1_000_000), buckets.toHistogram().getCountAtValue(1_000_000));
        }
    }

    /**
     * Groups summed per bucket and handed to a histogram once (a kind's figures from its servers')
     * give the histogram that recording every value would: with counts past 16 bits, a value at
     * the top of the range and groups that overlap.
     */
    @Test
    void groupsSummedPerBucketMakeTheHistogramOfAllTheirValues() {
        Histogram reference = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        BucketPercentiles merged = new BucketPercentiles();
        for (int group = 0; group < 3; group++) {
            LatencyBuckets buckets = new LatencyBuckets();
            for (long v = group; v < 2_000_000; v += 11 + group) {
                buckets.record(v);
                reference.recordValue(v);
            }
            for (int n = 0; n < 70_000; n++) {
                buckets.record(123_456);
                reference.recordValue(123_456);
            }
            buckets.record(Long.MAX_VALUE);
            reference.recordValue(Long.MAX_VALUE);
            merged.add(buckets);
        }
        assertEquals(reference, merged.toHistogram());
    }
    /**
     * The same for groups whose counts stay within 16 bits (addTo's branch-free loops), among
     * them an empty group, one of a single value at the top of the range and one at 0; then the
     * array reset and used again for fewer groups.
     */
    @Test
    void groupsWithoutCarriesSumToTheHistogramOfAllTheirValuesAndTheirPercentiles() {
        BucketPercentiles merged = new BucketPercentiles();
        for (int round = 0; round < 2; round++) {
            merged.reset();
            Histogram reference = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
            merged.add(new LatencyBuckets());
            for (int group = 0; group < (round == 0 ? 4 : 2); group++) {
                LatencyBuckets buckets = new LatencyBuckets();
                for (long v = 5_000 + group * 100_000L; v < 3_000_000 >> round; v += 13 + group) {
                    buckets.record(v);
                    reference.recordValue(v);
                }
                merged.add(buckets);
            }
            LatencyBuckets top = new LatencyBuckets();
            top.record(round == 0 ? Long.MAX_VALUE : 0);
            reference.recordValue(round == 0 ? Long.MAX_VALUE : 0);
            merged.add(top);
            merged.add(new LatencyBuckets());
            assertEquals(reference, merged.toHistogram(), "round " + round);
            assertEquals(reference.getTotalCount(), merged.totalCount());
            for (double p : new double[] {0, 1, 50, 90, 99, 99.99, 100}) {
                assertEquals(reference.getValueAtPercentile(p), merged.valueAtPercentile(p), "p" + p + ", round " + round);
            }
        }
    }
}
