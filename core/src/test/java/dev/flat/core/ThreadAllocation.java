package dev.flat.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread (HotSpot's counter), for the allocation tests. */
public final class ThreadAllocation {
    private final com.sun.management.ThreadMXBean hotspot;
    private final long threadId = Thread.currentThread().getId();

    private ThreadAllocation(com.sun.management.ThreadMXBean hotspot) {
        this.hotspot = hotspot;
    }

    /** The counter of the calling thread; skips the test on a JVM without one. */
    public static ThreadAllocation ofCurrentThread() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        var hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported(), "per-thread allocation counter unsupported");
        hotspot.setThreadAllocatedMemoryEnabled(true);
        return new ThreadAllocation(hotspot);
    }

    /** Bytes the thread has allocated so far. */
    public long bytes() {
        return hotspot.getThreadAllocatedBytes(threadId);
    }
}
