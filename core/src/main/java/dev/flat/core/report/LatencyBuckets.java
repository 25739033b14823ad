package dev.flat.core.report;

import org.HdrHistogram.Histogram;

/**
 * Counts per HdrHistogram bucket, kept sparsely: an open-addressing table from bucket number to
 * count. Recording computes the bucket and probes one table entry, a single cache line; memory
 * follows the number of distinct buckets in use (a few hundred for a typical server, a few KiB),
 * never the range. The buckets are those of a {@link Histogram} with 1 ns resolution and
 * {@link LatencyStats#SIGNIFICANT_DIGITS} digits, so {@link #toHistogram()} yields exactly the
 * histogram that recording every value into it would have: the same percentiles.
 *
 * <p>Why not HdrHistogram's own forms: a dense {@code Histogram} holds about 200 KiB per group up
 * to a 10 s latency, too much for thousands of servers; {@code PackedHistogram} is sparse but took
 * about half of the time of a large analysis to record.
 *
 * <p>An entry is one int: {@code (bucket + 1) << 16 | count mod 65 536}, 0 when empty; there are
 * at most {@link #BUCKETS} (55 296) buckets for any long value, so the bucket fits 16 bits. Each
 * server of a summary has a table, and recording touches a random entry of its server's table:
 * with thousands of servers the tables do not fit in the cache, and this load was the largest
 * single item of the thread that writes the report (docs/performance.md, finding 11). Int
 * entries halve the tables against the long entries (48-bit counts) they replaced. A count that
 * wraps past 65 535 carries into {@link #carries}, counts of 65 536 per bucket, allocated for
 * the first carry only (a server with more than 65 535 exchanges in one bucket).
 */
final class LatencyBuckets {
    /**
     * Sub-buckets per half bucket, 2^10: HdrHistogram's {@code subBucketHalfCount} for 3 significant
     * digits (2 × 10^3 distinguishable values need 2048 sub-buckets per bucket).
     */
    private static final int HALF_BUCKET_MAGNITUDE = 10;
    private static final int SUB_BUCKET_COUNT = 2 << HALF_BUCKET_MAGNITUDE;
    /** Bucket numbers in use for values 0..Long.MAX_VALUE (HdrHistogram's counts array length). */
    static final int BUCKETS = (64 - HALF_BUCKET_MAGNITUDE) << HALF_BUCKET_MAGNITUDE;
    private static final int COUNT_BITS = 16;
    private static final int COUNT_MASK = (1 << COUNT_BITS) - 1;
    private static final int TAG_MASK = ~COUNT_MASK;
    private static final int INITIAL_CAPACITY = 16;

    private int[] entries;
    private int size;
    /** Per bucket, how many times its 16-bit count wrapped; null until one did. */
    private int[] carries;

    LatencyBuckets() {
        this(0);
    }

    /**
     * A table that holds {@code expectedBuckets} distinct buckets without growing: for a group
     * whose distribution is known to look like another's, so that it does not start at
     * {@value #INITIAL_CAPACITY} entries and double its way up, rehashing at each step.
     */
    LatencyBuckets(int expectedBuckets) {
        int capacity = INITIAL_CAPACITY;
        while (capacity < 2 * expectedBuckets + 2 && capacity < 2 * BUCKETS) { // load ≤ 0.5, as record keeps it
            capacity *= 2;
        }
        entries = new int[capacity];
    }

    /** Distinct buckets in use. */
    int size() { return size; }

    /** @param value ≥ 0 */
    void record(long value) {
        int bucket = bucketOf(value);
        int tag = (bucket + 1) << COUNT_BITS;
        int[] e = entries;
        int mask = e.length - 1;
        int i = slot(tag, mask);
        for (int entry; (entry = e[i]) != 0; i = (i + 1) & mask) {
            if ((entry & TAG_MASK) == tag) {
                if ((entry & COUNT_MASK) == COUNT_MASK) {
                    carry(bucket);
                    e[i] = tag; // count 65 536 = one carry and 0 here; the tag keeps the entry in use
                } else {
                    e[i] = entry + 1;
                }
                return;
            }
        }
        e[i] = tag | 1;
        if (++size * 2 > e.length) { // load ≤ 0.5 keeps probes short
            grow();
        }
    }

    /**
     * The entry {@link #record} would look at first for {@code value}, read and not changed: a
     * load issued ahead of the record itself, so that the cache misses of several records
     * overlap instead of following one another ({@link Summary}'s batches).
     */
    int peek(long value) {
        int[] e = entries;
        return e[slot((bucketOf(value) + 1) << COUNT_BITS, e.length - 1)];
    }

    /** Adds every count of {@code other} to this table (merging two groups, e.g. two time buckets). */
    void add(LatencyBuckets other) {
        for (int entry : other.entries) {
            if (entry != 0) {
                int bucket = (entry >>> COUNT_BITS) - 1;
                addCount(bucket, other.countOf(bucket, entry));
            }
        }
    }

    private void addCount(int bucket, long count) {
        int tag = (bucket + 1) << COUNT_BITS;
        int mask = entries.length - 1;
        int i = slot(tag, mask);
        while (entries[i] != 0 && (entries[i] & TAG_MASK) != tag) {
            i = (i + 1) & mask;
        }
        boolean added = entries[i] == 0;
        long total = (entries[i] & COUNT_MASK) + count;
        entries[i] = tag | (int) (total & COUNT_MASK); // a count that is a multiple of 65 536 keeps its tag
        for (long c = total >>> COUNT_BITS; c > 0; c--) {
            carry(bucket);
        }
        if (added && ++size * 2 > entries.length) {
            grow();
        }
    }

    /**
     * Adds every count to {@code p}. This is most of the html report's end (a kind's points and
     * servers merged for percentiles: millions of entries), so the common case, no count past
     * 16 bits, runs two loops without a branch: every entry adds its count at its tag, the
     * bucket's {@link BucketPercentiles#index}, where an empty entry adds 0 at index 0; then the
     * lowest and highest bucket in use are found by plain minimum and maximum, an empty entry's
     * bucket -1 taken as unsigned for the minimum (docs/performance.md, finding 33).
     */
    void addTo(BucketPercentiles p) {
        int[] e = entries;
        if (carries != null) {
            for (int entry : e) {
                if (entry != 0) {
                    int bucket = (entry >>> COUNT_BITS) - 1;
                    p.addCount(bucket, countOf(bucket, entry));
                }
            }
            return;
        }
        long[] counts = p.countsByIndex();
        long sum = 0;
        for (int entry : e) {
            int count = entry & COUNT_MASK;
            counts[entry >>> COUNT_BITS] += count; // the tag, bucket + 1: BucketPercentiles.index
            sum += count;
        }
        if (sum == 0) {
            return; // no entry in use: without carries, every used entry counts at least 1
        }
        int lowestBiased = Integer.MAX_VALUE;
        int highest = -1;
        for (int entry : e) {
            int bucket = (entry >>> COUNT_BITS) - 1;
            lowestBiased = Math.min(lowestBiased, bucket ^ Integer.MIN_VALUE); // unsigned: -1 is the largest
            highest = Math.max(highest, bucket);
        }
        p.added(lowestBiased ^ Integer.MIN_VALUE, highest, sum);
    }

    private long countOf(int bucket, int entry) {
        return (entry & COUNT_MASK) + (carries == null ? 0 : (long) carries[bucket] << COUNT_BITS);
    }

    private void carry(int bucket) {
        if (carries == null) {
            carries = new int[BUCKETS];
        }
        carries[bucket]++;
    }

    /** A dense histogram holding these counts, for percentiles. */
    Histogram toHistogram() {
        Histogram h = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        addTo(h);
        return h;
    }

    /** Adds these counts to {@code h}, a histogram with the same significant digits. */
    void addTo(Histogram h) {
        for (int entry : entries) {
            if (entry != 0) {
                int bucket = (entry >>> COUNT_BITS) - 1;
                h.recordValueWithCount(lowestValueOf(bucket), countOf(bucket, entry));
            }
        }
    }

    /**
     * HdrHistogram's {@code countsArrayIndex} for unit magnitude 0: values below 2048 have a bucket
     * each; above, each power of two holds 1024 buckets of equal width.
     */
    static int bucketOf(long value) {
        int magnitude = 63 - HALF_BUCKET_MAGNITUDE - Long.numberOfLeadingZeros(value | (SUB_BUCKET_COUNT - 1));
        int subBucket = (int) (value >>> magnitude);
        return ((magnitude + 1) << HALF_BUCKET_MAGNITUDE) + subBucket - (SUB_BUCKET_COUNT >> 1);
    }

    /** The smallest value of a bucket: the inverse of {@link #bucketOf}. */
    static long lowestValueOf(int bucket) {
        if (bucket < SUB_BUCKET_COUNT) {
            return bucket;
        }
        int magnitude = (bucket >> HALF_BUCKET_MAGNITUDE) - 1;
        long subBucket = (bucket & ((SUB_BUCKET_COUNT >> 1) - 1)) + (SUB_BUCKET_COUNT >> 1);
        return subBucket << magnitude;
    }

    private void grow() {
        int[] old = entries;
        int[] e = new int[old.length * 2];
        int mask = e.length - 1;
        for (int entry : old) {
            if (entry != 0) {
                int i = slot(entry & TAG_MASK, mask);
                while (e[i] != 0) {
                    i = (i + 1) & mask;
                }
                e[i] = entry;
            }
        }
        entries = e;
    }

    /** Fibonacci hashing of the bucket number (the tag's top 16 bits): neighbouring buckets spread out. */
    private static int slot(int tag, int mask) {
        return (int) (((tag >>> COUNT_BITS) * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
    }
}
