package dev.flat.bpf;

import jnr.ffi.Pointer;

/**
 * CLOCK_REALTIME − CLOCK_MONOTONIC, to turn the probe's bpf_ktime_get_ns() timestamps
 * (CLOCK_MONOTONIC) into wall-clock time. Each sample brackets one realtime reading between two
 * monotonic readings; the sample with the narrowest bracket wins, so a preemption in the middle
 * of one sample does not skew the offset.
 */
final class ClockOffset {
    private static final int SAMPLES = 7;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ClockOffset() {
    }

    static long measure(Native n) {
        Pointer ts = n.allocate(16);
        long best = 0;
        long narrowest = Long.MAX_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            long before = read(n, ts, LibC.CLOCK_MONOTONIC);
            long real = read(n, ts, LibC.CLOCK_REALTIME);
            long after = read(n, ts, LibC.CLOCK_MONOTONIC);
            if (after - before < narrowest) {
                narrowest = after - before;
                best = real - (before + (after - before) / 2);
            }
        }
        return best;
    }

    /** struct timespec on LP64: tv_sec (8 bytes), tv_nsec (8 bytes). */
    private static long read(Native n, Pointer ts, int clock) {
        n.libc.clock_gettime(clock, ts);
        return ts.getLong(0) * NANOS_PER_SECOND + ts.getLong(8);
    }
}
