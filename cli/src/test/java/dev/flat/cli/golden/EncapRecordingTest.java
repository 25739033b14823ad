package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the real link-layer captures of testdata/encap afresh (record-nflog.sh: NFLOG;
 * record-tagged.sh: 802.1Q, QinQ and MPLS) into a temporary directory and checks flat on them
 * independently of the committed files: each holds 2 IPv4 and 2 IPv6 pings, a TCP handshake and
 * a refused SYN per family (docs/testdata.md), and flat's exchanges are Wireshark's to the
 * nanosecond. Needs root; skipped otherwise, unless FLAT_REQUIRE_PRIVILEGED=1, where it fails.
 */
class EncapRecordingTest {
    private static final long RECORDING_TIMEOUT_SECONDS = 120;

    @Test
    void freshNflogRecording(@TempDir Path dir) throws IOException, InterruptedException {
        record("record-nflog.sh", dir);
        checkCapture(dir.resolve("nflog.pcap"));
    }

    @Test
    void freshTaggedAndLabelledRecordings(@TempDir Path dir) throws IOException, InterruptedException {
        record("record-tagged.sh", dir);
        for (String name : List.of("vlan-live.pcap", "qinq-live.pcap", "mpls-live.pcap")) {
            checkCapture(dir.resolve(name));
        }
    }

    private static void record(String script, Path dir) throws IOException, InterruptedException {
        LabRecordingTest.requireRoot();
        Path log = dir.resolve(script + ".log");
        Process p = new ProcessBuilder(WiresharkCrossCheckTest.TESTDATA.resolve("encap").resolve(script).toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(RECORDING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the script's EXIT trap removes its namespaces
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(script + " took over " + RECORDING_TIMEOUT_SECONDS + " s: " + LabRecordingTest.read(log));
        }
        assertEquals(0, p.exitValue(), () -> script + " failed: " + LabRecordingTest.read(log));
    }

    private static void checkCapture(Path capture) throws IOException {
        String report = FlatRun.analyze("json", capture.toString());
        JsonNode kinds = new ObjectMapper().readTree(report).path("summary").path("kinds");
        // kind: requests answered refused unanswered retransmits
        assertEquals("4 2 2 0 0", LabRecordingTest.counts(kinds, "tcp"), capture + " tcp");
        assertEquals("4 4 0 0 0", LabRecordingTest.counts(kinds, "icmp"), capture + " icmp");
        if (Tshark.available()) {
            List<MeasuredExchange> flat = FlatJsonReport.exchanges(report).stream()
                    .sorted(MeasuredExchange.ORDER).toList();
            assertEquals(MeasuredExchange.lines(WiresharkExchanges.of(capture)), MeasuredExchange.lines(flat),
                    "flat and Wireshark disagree on the fresh " + capture.getFileName());
        }
    }
}
