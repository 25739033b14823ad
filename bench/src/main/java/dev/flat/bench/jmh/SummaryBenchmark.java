package dev.flat.bench.jmh;

import dev.flat.core.event.EventRecord;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.match.Outcome;
import dev.flat.core.report.Summary;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The summary alone ({@link Summary#onExchange}: per-kind and per-server figures), fed the
 * exchanges the matcher pairs in a generated workload, replayed through one reused {@link
 * Exchange} as the matcher hands them over. Score: exchanges/s. Each invocation starts from an
 * empty summary, as an analysis does; the workload's thousands of servers, each with latencies
 * spread over three decades, make the per-server bucket tables larger than the core's cache,
 * which is what this measures (docs/performance.md, findings 11 and 21).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx2g"})
public class SummaryBenchmark {
    /** 4 000 000 packets of the workload (seed 1) hold about 600 000 exchanges; setUp checks there are enough. */
    static final int EXCHANGES = 550_000;

    private final Kind[] kind = new Kind[EXCHANGES];
    private final Outcome[] outcome = new Outcome[EXCHANGES];
    private final long[] serverHi = new long[EXCHANGES];
    private final long[] serverLo = new long[EXCHANGES];
    private final int[] serverPort = new int[EXCHANGES];
    private final long[] latencyNs = new long[EXCHANGES];
    private final Exchange exchange = new Exchange();
    private Summary summary;

    @Setup
    public void setUp() {
        // Headers only: the events are the same, and 4 M whole frames would not fit one array.
        ByteBuffer events = InMemoryCapture.generate(4_000_000, 1, 128).events();
        List<Exchange> paired = new ArrayList<>();
        Matcher matcher = new Matcher(MatcherConfig.defaults(), x -> {
            if (paired.size() < EXCHANGES) {
                paired.add(x.copy());
            }
        });
        EventRecord record = new EventRecord();
        for (int i = 0; i < events.capacity() / EventRecord.ENCODED_LENGTH; i++) {
            matcher.onEvent(record.wrap(events, i * EventRecord.ENCODED_LENGTH));
        }
        if (paired.size() < EXCHANGES) {
            throw new IllegalStateException("workload has fewer exchanges than " + EXCHANGES + ": " + paired.size());
        }
        for (int i = 0; i < EXCHANGES; i++) {
            Exchange x = paired.get(i);
            kind[i] = x.kind;
            outcome[i] = x.outcome;
            serverHi[i] = x.serverHi;
            serverLo[i] = x.serverLo;
            serverPort[i] = x.serverPort;
            latencyNs[i] = x.latencyNs;
        }
    }

    @Setup(Level.Invocation)
    public void newSummary() {
        summary = new Summary();
    }

    @Benchmark
    @OperationsPerInvocation(EXCHANGES)
    public int summarise() {
        Summary s = summary;
        Exchange x = exchange;
        for (int i = 0; i < EXCHANGES; i++) {
            x.kind = kind[i];
            x.outcome = outcome[i];
            x.serverHi = serverHi[i];
            x.serverLo = serverLo[i];
            x.serverPort = serverPort[i];
            x.latencyNs = latencyNs[i];
            s.onExchange(x);
        }
        return s.serverCount() + s.busiestServers(1).size(); // reads the figures: the last batch counts
    }
}
