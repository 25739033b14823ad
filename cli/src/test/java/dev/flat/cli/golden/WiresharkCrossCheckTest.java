package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * flat's measurements against Wireshark's own dissectors, to the nanosecond (microsecond files
 * give microseconds on both sides), on every capture of the shared corpus (captures written by
 * others, shared/corpus beside the repository) and every capture under testdata/: the tcp, dns
 * and icmp exchanges flat reports must be exactly the ones {@link WiresharkExchanges} derives
 * from tshark's fields, with the same endpoints, request time, latency, retransmit count, outcome
 * and response TTL, except the misses a {@link DeliberateDifference} explains.
 *
 * <p>The figures (per capture: expected, reported, matching; overall recall and precision) are
 * written to {@code cli/target/wireshark-agreement.txt} and standard output;
 * {@code bench/wireshark-agreement.sh} runs this test and prints them.
 *
 * <p>Needs tshark. Skipped without it on a developer machine; a failure where the run must be
 * complete (CI=true, or FLAT_REQUIRE_PRIVILEGED=1 as .ci/run sets).
 */
class WiresharkCrossCheckTest {
    /** Paths relative to the cli module, where surefire runs. */
    static final Path CORPUS = Path.of("..", "..", "shared", "corpus");
    static final Path TESTDATA = Path.of("..", "testdata");
    static final Path TABLE = Path.of("target", "wireshark-agreement.txt");

    private static final Map<Path, WiresharkAgreement> RESULTS = new TreeMap<>();

    @BeforeAll
    static void needsTshark() {
        if (Tshark.available()) {
            return;
        }
        boolean mustRun = "true".equals(System.getenv("CI"))
                || "1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"));
        if (mustRun) {
            throw new AssertionError("tshark is not installed, but this run must cross-check against it");
        }
        Assumptions.abort("tshark is not installed: the Wireshark cross-check cannot run");
    }

    /** Every capture: the corpus's files and testdata's, recognised by name (reports sit beside them). */
    static Stream<Path> captures() throws IOException {
        assertTrue(Files.isDirectory(CORPUS), "the shared corpus is missing: " + CORPUS.toAbsolutePath());
        try (Stream<Path> corpus = Files.list(CORPUS); Stream<Path> testdata = Files.walk(TESTDATA)) {
            List<Path> all = Stream.concat(corpus, testdata)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng)(\\.gz)?"))
                    .sorted()
                    .toList();
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void flatAgreesWithWireshark(Path capture) {
        WiresharkAgreement a = WiresharkAgreement.of(capture);
        synchronized (RESULTS) {
            RESULTS.put(capture, a);
        }
        assertTrue(a.agrees(), a::disagreement);
    }

    @AfterAll
    static void writeTable() {
        if (RESULTS.isEmpty()) {
            return;
        }
        String table = AgreementTable.of(RESULTS.values());
        System.out.print(table);
        try {
            Files.createDirectories(TABLE.getParent());
            Files.writeString(TABLE, table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + TABLE, e);
        }
    }
}
