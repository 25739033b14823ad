package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the lab afresh (testdata/lab/record-lab.sh into a temporary directory) and checks flat
 * against what the lab did, independently of the committed recording: the per-kind counts of
 * docs/testdata.md, then every exchange against Wireshark to the nanosecond. On a kernel with
 * sch_netem this also covers latencies of milliseconds rather than the committed file's
 * microseconds.
 *
 * <p>Needs root (network namespaces, nftables). Skipped otherwise, unless FLAT_REQUIRE_PRIVILEGED=1
 * (set by .ci/run), where it fails.
 */
class LabRecordingTest {
    private static final long RECORDING_TIMEOUT_SECONDS = 180;

    @Test
    void freshRecordingHoldsWhatTheLabDid(@TempDir Path dir) throws IOException, InterruptedException {
        requireRoot();
        Path log = dir.resolve("record-lab.log");
        Process p = new ProcessBuilder(GoldenReportTest.LAB + "record-lab.sh", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(RECORDING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            // SIGTERM, not SIGKILL: the script's EXIT trap removes the namespaces it made.
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("record-lab.sh took over " + RECORDING_TIMEOUT_SECONDS + " s: " + read(log));
        }
        assertEquals(0, p.exitValue(), () -> "record-lab.sh failed: " + read(log));

        String capture = dir.resolve("lab.pcapng").toString();
        String report = FlatRun.analyze("json", capture);
        JsonNode kinds = new ObjectMapper().readTree(report).path("summary").path("kinds");
        // kind: requests answered refused unanswered retransmits (docs/testdata.md, "What the capture holds")
        assertEquals("11 9 2 0 2", counts(kinds, "tcp"), "tcp");
        assertEquals("7 7 0 0 1", counts(kinds, "dns"), "dns");
        assertEquals("5 4 0 1 0", counts(kinds, "udp"), "udp");
        assertEquals("6 6 0 0 0", counts(kinds, "icmp"), "icmp");

        List<MeasuredExchange> flat = FlatJsonReport.exchanges(report);
        assertEquals(List.of(8081, 8081), serverPortsWhere(flat, x -> x.kind().equals("tcp") && x.retransmits() == 1));
        assertEquals(List.of(9999, 9999), serverPortsWhere(flat, x -> x.outcome().equals("refused")));
        assertEquals(List.of(53530), flat.stream().filter(x -> x.kind().equals("dns") && x.retransmits() == 1)
                .map(MeasuredExchange::clientPort).toList());

        if (Tshark.available()) {
            List<MeasuredExchange> wireshark = WiresharkExchanges.of(Path.of(capture));
            List<MeasuredExchange> compared = flat.stream().filter(x -> !x.kind().equals("udp"))
                    .sorted(MeasuredExchange.ORDER).toList();
            assertEquals(MeasuredExchange.lines(wireshark), MeasuredExchange.lines(compared),
                    "flat and Wireshark disagree on the fresh recording");
        }
    }

    static void requireRoot() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        id.waitFor();
        if (uid.equals("0")) {
            return;
        }
        if ("1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("FLAT_REQUIRE_PRIVILEGED=1 but not running as root: cannot record the lab");
        }
        Assumptions.abort("recording the lab needs root (network namespaces)");
    }

    private static String counts(JsonNode kinds, String kind) {
        JsonNode k = kinds.path(kind);
        return k.path("requests").asLong(-1) + " " + k.path("answered").asLong(-1) + " " + k.path("refused").asLong(-1)
                + " " + k.path("unanswered").asLong(-1) + " " + k.path("retransmits").asLong(-1);
    }

    private static List<Integer> serverPortsWhere(List<MeasuredExchange> exchanges,
                                                  Predicate<MeasuredExchange> which) {
        return exchanges.stream().filter(which).map(MeasuredExchange::serverPort).toList();
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
