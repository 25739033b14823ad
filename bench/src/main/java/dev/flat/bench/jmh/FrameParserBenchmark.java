package dev.flat.bench.jmh;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.replay.FrameParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The frame parser alone: Ethernet frames already in memory → event records. Score: packets/s. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx2g"})
public class FrameParserBenchmark {
    static final int PACKETS = 500_000;

    private InMemoryCapture capture;
    private final FrameParser parser = new FrameParser();
    private final EventRecord record = EventRecord.allocate();
    private final InputStats stats = new InputStats();

    @Setup
    public void setUp() {
        capture = InMemoryCapture.generate(PACKETS, 1);
    }

    /** Returns the number of events made, so the work cannot be optimized away. */
    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int parse() {
        InMemoryCapture c = capture;
        int events = 0;
        for (int i = 0; i < PACKETS; i++) {
            if (parser.parse(InMemoryCapture.LINKTYPE_ETHERNET, c.pcap, c.frameOffset[i], c.frameLength[i], c.frameTsNs[i],
                    EventRecord.DIGITS_NS, Direction.UNKNOWN.code(), 0, record, stats)) {
                events++;
            }
        }
        return events;
    }
}
