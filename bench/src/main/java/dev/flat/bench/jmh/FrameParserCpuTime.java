package dev.flat.bench.jmh;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.replay.FrameParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link FrameParserBenchmark}'s loop timed by the thread's CPU time instead of the wall clock,
 * for a machine shared with other work, where JMH's throughput varies by 2× between runs of the
 * same jar: time spent waiting for a CPU is not counted (caches and a sibling hyperthread still
 * are). Prints the fastest and the median round of the second half (the first half warms up
 * the JIT), in ns per packet. Compare two builds by alternating runs of each (docs/performance.md).
 *
 * <p>Usage: {@code java -XX:+UseSerialGC -Xmx2g -cp bench/target/benchmarks.jar
 * dev.flat.bench.jmh.FrameParserCpuTime [ROUNDS]} (default 40 rounds of 500 k frames).
 */
public final class FrameParserCpuTime {
    private FrameParserCpuTime() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        InMemoryCapture c = InMemoryCapture.generate(FrameParserBenchmark.PACKETS, 1);
        FrameParser parser = new FrameParser();
        EventRecord record = EventRecord.allocate();
        InputStats stats = new InputStats();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] nsPerPacket = new double[rounds];
        long events = 0;
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < c.packets; i++) {
                if (parser.parse(InMemoryCapture.LINKTYPE_ETHERNET, c.pcap, c.frameOffset[i], c.frameLength[i],
                        c.frameTsNs[i], EventRecord.DIGITS_NS, Direction.UNKNOWN.code(), 0, record, stats)) {
                    events++;
                }
            }
            nsPerPacket[r] = (threads.getCurrentThreadCpuTime() - start) / (double) c.packets;
        }
        double[] measured = Arrays.copyOfRange(nsPerPacket, rounds / 2, rounds);
        Arrays.sort(measured);
        System.out.printf("fastest %.2f ns, median %.2f ns per packet (%d events)%n",
                measured[0], measured[measured.length / 2], events);
    }
}
