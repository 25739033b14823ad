package dev.flat.core.report;

/**
 * Capture time cut into at most {@link #POINTS} buckets of equal width, for the html report's
 * plots over time. The capture's length is unknown while it streams in, so the axis starts with
 * buckets of {@link #INITIAL_WIDTH_NS} and, when a time falls outside its points, rescales:
 * it doubles the width (merging neighbouring buckets in pairs) as often as needed for every time
 * seen so far to fit, and moves its origin. Memory stays fixed however long the capture; a
 * capture of a minute ends with buckets of 2^7 ms = 128 ms, one of a day with buckets of about
 * 2.8 min.
 *
 * <p>A bucket is identified by its absolute number, {@code floor(t / width)}; point 0 is bucket
 * {@link #origin()}. Widths are 1 ms times a power of two, so a bucket of one width lies inside
 * one bucket of every larger width, and a rescale maps old point {@code i} to new point
 * {@code ((oldOrigin + i) >> shift) - newOrigin}. The origin is a multiple of {@link #GROUP},
 * so {@link #GROUP} neighbouring points (the coarser points of per-server timelines) also stay
 * together across rescales.
 *
 * <p>Times may arrive slightly out of order (an exchange is placed at its request, and a slow
 * exchange completes after quicker later ones), so the first time seen is placed a quarter of
 * the axis from its left end.
 */
final class TimeAxis {
    static final int POINTS = 512;
    /** Points per point of a server's timeline ({@link #POINTS} / {@link #GROUP} = 64 of them). */
    static final int GROUP = 8;
    static final long INITIAL_WIDTH_NS = 1_000_000;

    private long widthNs = INITIAL_WIDTH_NS;
    private long origin;
    /** Lowest and highest absolute bucket used; lo > hi while the axis is empty. */
    private long lo = Long.MAX_VALUE;
    private long hi = Long.MIN_VALUE;

    /** The point of {@code timeNs}, or -1 when the axis must first {@link #fit} it. */
    int pointOf(long timeNs) {
        long bucket = Math.floorDiv(timeNs, widthNs);
        long point = bucket - origin;
        if (point < 0 || point >= POINTS || lo > hi) {
            return -1;
        }
        lo = Math.min(lo, bucket);
        hi = Math.max(hi, bucket);
        return (int) point;
    }

    /**
     * Rescales so that {@code timeNs} fits along with every time seen before.
     *
     * @return what changed, for the owners of per-point data to move it; null when the axis was
     *         empty (there is nothing to move)
     */
    Rescale fit(long timeNs) {
        long bucket = Math.floorDiv(timeNs, widthNs);
        if (lo > hi) {
            origin = alignDown(bucket) - POINTS / 4;
            lo = hi = bucket;
            return null;
        }
        long newLo = Math.min(lo, bucket);
        long newHi = Math.max(hi, bucket);
        int shift = 0;
        while ((newHi >> shift) - alignDown(newLo >> shift) >= POINTS) {
            shift++;
        }
        long l = newLo >> shift;
        long h = newHi >> shift;
        // Growing to the right, with or without a change of width: the data at the left end
        // leaves the most room after it. Growing to the left: the origin as low as still covers
        // the highest bucket, so that times drifting backwards do not rescale at every step.
        // (Right-aligned after a change of width too, a capture in time order fell off the right
        // end at once and paid a second rescale for every doubling: 19 rescales instead of 10 on
        // the benchmark capture, where rescales took a third of the html report's streaming
        // time; docs/performance.md, finding 36.)
        long newOrigin = bucket > hi ? alignDown(l) : Math.min(alignDown(l), alignDown(h - POINTS + GROUP));
        Rescale r = new Rescale(origin, shift, newOrigin);
        origin = newOrigin;
        widthNs <<= shift;
        lo = l;
        hi = h;
        return r;
    }

    private static long alignDown(long bucket) {
        return Math.floorDiv(bucket, GROUP) * GROUP;
    }

    long widthNs() { return widthNs; }

    /** Absolute bucket number of point 0. */
    long origin() { return origin; }

    boolean isEmpty() { return lo > hi; }

    /** First point in use. */
    int firstPoint() { return (int) (lo - origin); }

    /** Last point in use. */
    int lastPoint() { return (int) (hi - origin); }

    /** Start of a point, ns since the epoch. */
    long startNs(int point) { return (origin + point) * widthNs; }

    /**
     * How points move in a rescale: old point {@code i} becomes {@link #newPoint}(i). Several old
     * points may land on one new point (their data is merged); none falls outside.
     */
    record Rescale(long oldOrigin, int shift, long newOrigin) {
        int newPoint(int oldPoint) {
            return (int) (((oldOrigin + oldPoint) >> shift) - newOrigin);
        }

        /** The same for a server timeline's points of {@link #GROUP} axis points each. */
        int newGroup(int oldGroup) {
            return newPoint(oldGroup * GROUP) / GROUP;
        }
    }
}
