package dev.flat.bench.jmh;

import dev.flat.core.event.EventRecord;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.ExchangeListener;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The matcher alone, fed the event records of a generated workload (about a third of its
 * packets: SYN/SYN-ACK/RST, UDP, ICMP echo). Score: events/s. Each invocation starts from an
 * empty matcher, since replaying the same timestamps into a used one would be out of order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx2g"})
public class MatcherBenchmark {
    /** 1 000 000 packets of the workload (seed 1) hold about 317 000 events; setUp checks there are enough. */
    static final int EVENTS = 310_000;

    private ByteBuffer events;
    private final EventRecord record = new EventRecord();
    private Matcher matcher;
    private Blackhole blackhole;

    @Setup
    public void setUp(Blackhole bh) {
        InMemoryCapture capture = InMemoryCapture.generate(1_000_000, 1);
        ByteBuffer all = capture.events();
        if (all.capacity() / EventRecord.ENCODED_LENGTH < EVENTS) {
            throw new IllegalStateException("workload has fewer events than " + EVENTS);
        }
        events = all;
        blackhole = bh;
    }

    @Setup(Level.Invocation)
    public void newMatcher() {
        ExchangeListener consume = (Exchange x) -> blackhole.consume(x.latencyNs);
        matcher = new Matcher(MatcherConfig.defaults(), consume);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long match() {
        Matcher m = matcher;
        for (int i = 0; i < EVENTS; i++) {
            m.onEvent(record.wrap(events, i * EventRecord.ENCODED_LENGTH));
        }
        return m.stats().pending();
    }
}
