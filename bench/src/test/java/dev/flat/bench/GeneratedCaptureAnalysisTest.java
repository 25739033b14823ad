package dev.flat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.match.MatcherStats;
import dev.flat.core.match.Outcome;
import dev.flat.replay.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The analysis pipeline (capture reader, frame parser, matcher) finds in a generated capture
 * exactly the exchanges the generator made: per kind answered, refused, unanswered and the
 * retransmits they carry, and every packet accounted for as an event or a skip.
 */
class GeneratedCaptureAnalysisTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} packets, seed {1}, {2}")
    @CsvSource({
        "40000, 1, pcap",
        "40000, 7, pcapng",
        // Few slots over a long stretch of capture time: exercises the matcher's 10 s expiry.
        "60000, 3, pcap",
    })
    void analysisFindsExactlyTheGeneratedExchanges(long packets, long seed, String format) throws IOException {
        Path file = dir.resolve("workload." + format);
        ExpectedCounts expected;
        try (CaptureWriter w = WorkloadGenerator.writer(format, Files.newOutputStream(file), WorkloadGenerator.DEFAULT_SNAP_LENGTH)) {
            expected = new WorkloadGenerator(seed, seed == 3 ? 64 : WorkloadGenerator.DEFAULT_CONCURRENCY).generate(packets, w);
        }

        long[] answered = new long[Kind.values().length];
        long[] refused = new long[Kind.values().length];
        long[] retransmits = new long[Kind.values().length];
        Matcher matcher = new Matcher(MatcherConfig.defaults(), (Exchange x) -> {
            int k = x.kind.ordinal();
            if (x.outcome == Outcome.REFUSED) {
                refused[k]++;
            } else {
                answered[k]++;
            }
            retransmits[k] += x.retransmits;
            assertTrue(x.latencyNs > 0, "latency of " + x.kind.label() + " exchange at " + x.requestTimeNs);
        });
        InputStats input = new InputStats();
        try (EventSource source = Inputs.open(file)) {
            source.drainTo(matcher, input);
        }
        matcher.finish();

        assertEquals(packets, expected.packets());
        assertEquals(expected.packets(), input.packets(), "packets");
        assertEquals(expected.events(), input.events(), "events");
        assertEquals(expected.packets() - expected.events(), input.skipped(SkipReason.NOT_RELEVANT), "TCP segments without SYN/RST");
        assertEquals(expected.packets() - expected.events(), input.skippedTotal(), "nothing else skipped");
        assertTrue(input.warnings().isEmpty(), () -> "warnings: " + input.warnings());
        MatcherStats stats = matcher.stats();
        for (Kind k : Kind.values()) {
            int i = k.ordinal();
            String kind = k.label();
            assertEquals(expected.answered(k), answered[i], kind + " answered exchanges");
            assertEquals(expected.refused(k), refused[i], kind + " refused exchanges");
            assertEquals(expected.exchangeRetransmits(k), retransmits[i], kind + " retransmits in exchanges");
            assertEquals(expected.answered(k), stats.answered(k), kind + " answered (stats)");
            assertEquals(expected.refused(k), stats.refused(k), kind + " refused (stats)");
            assertEquals(expected.unanswered(k), stats.unanswered(k), kind + " unanswered");
            assertEquals(0, stats.evicted(k), kind + " evicted");
            assertTrue(expected.answered(k) > 0, kind + ": the workload must contain answered exchanges");
            assertTrue(expected.unanswered(k) > 0, kind + ": the workload must contain unanswered requests");
        }
        assertTrue(expected.refused(Kind.TCP) > 0, "the workload must contain refused connections");
        assertEquals(0, stats.pending(), "finish() leaves nothing pending");
    }
}
