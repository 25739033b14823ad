package dev.flat.bench;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.replay.Inputs;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The analysis without summaries and reports: reads captures into a matcher whose listener only
 * counts. Run as a whole process next to {@code flat analyze} (bench/run.sh), it splits the time
 * and memory of an analysis into the pipeline's share and the reports' share.
 *
 * <pre>java -cp benchmarks.jar dev.flat.bench.ReadParseMatch FILE...</pre>
 */
public final class ReadParseMatch {
    private ReadParseMatch() {}

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        long[] exchanges = new long[1];
        Matcher matcher = new Matcher(MatcherConfig.defaults(), x -> exchanges[0]++);
        InputStats stats = new InputStats();
        for (String file : args) {
            try (EventSource source = Inputs.open(Path.of(file))) {
                source.drainTo(matcher, stats);
            }
        }
        matcher.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d packets, %d events, %d exchanges in %.3f s: %.2f M packets/s%n",
                stats.packets(), stats.events(), exchanges[0], seconds, stats.packets() / seconds / 1e6);
    }
}
