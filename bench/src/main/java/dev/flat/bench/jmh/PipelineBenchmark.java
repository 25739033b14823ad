package dev.flat.bench.jmh;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.ExchangeListener;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.replay.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Read → parse → match on one thread, the offline analysis minus report writing: a generated
 * classic pcap in the page cache opened with {@link Inputs#open}, drained into a matcher. Score:
 * packets/s (target ≥ 10 M/s).
 *
 * <p>{@code fileSystem}: where the capture lives, both in memory. {@code disk} is the
 * directory {@code java.io.tmpdir} names, which must be on a disk file system (ext4 on the
 * benchmark machine; the setup refuses tmpfs): a capture that was written or read recently, the
 * case of every analysis of a file on disk that fits in memory. {@code tmpfs} is /dev/shm. The
 * kernel's copy out of tmpfs costs more (docs/performance.md, finding 14, has the figures), so
 * the two are reported apart.
 *
 * <p>{@code snapLength}: 262144 keeps whole frames (about 490 bytes a packet on average with
 * headers, the realistic case); 128 keeps only the headers, as a capture taken with a short snap
 * length would. The difference between the two is the cost of moving payload bytes from the
 * file into the reader's buffer; what remains is the per-packet work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx2g"})
public class PipelineBenchmark {
    static final int PACKETS = 1_000_000;

    @Param({"262144", "128"})
    public int snapLength;

    @Param({"disk", "tmpfs"})
    public String fileSystem;

    private Path file;
    private long expectedExchanges;

    @Setup
    public void setUp() throws IOException {
        InMemoryCapture capture = InMemoryCapture.generate(PACKETS, 1, snapLength);
        Path dir = directory(fileSystem);
        file = Files.createTempFile(dir, "flat-bench-", ".pcap");
        try (var out = Files.newOutputStream(file)) {
            out.write(capture.pcap, 0, capture.pcapLength);
        }
        Files.readAllBytes(file); // in the page cache now, whatever the writer left to write back
        expectedExchanges = capture.expected.exchanges();
    }

    /** The directory for a {@code fileSystem} parameter, checked to be of that kind. */
    private static Path directory(String fileSystem) throws IOException {
        Path dir = Path.of(fileSystem.equals("tmpfs") ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
        String type = Files.getFileStore(dir).type();
        if (fileSystem.equals("tmpfs") != type.equals("tmpfs")) {
            throw new IllegalStateException(dir + " is on " + type + ", not " + fileSystem
                    + (fileSystem.equals("disk") ? ": point -Djava.io.tmpdir at a directory on disk" : ""));
        }
        return dir;
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long readParseMatch(Blackhole bh) throws IOException {
        long[] exchanges = new long[1];
        ExchangeListener listener = (Exchange x) -> {
            exchanges[0]++;
            bh.consume(x.latencyNs);
        };
        Matcher matcher = new Matcher(MatcherConfig.defaults(), listener);
        InputStats stats = new InputStats();
        try (EventSource source = Inputs.open(file)) {
            source.drainTo(matcher, stats);
        }
        matcher.finish();
        if (stats.packets() != PACKETS || exchanges[0] != expectedExchanges) {
            throw new IllegalStateException("read " + stats.packets() + " packets, " + exchanges[0]
                    + " exchanges; expected " + PACKETS + ", " + expectedExchanges);
        }
        return stats.events();
    }
}
