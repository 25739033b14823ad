package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the match lab afresh (testdata/match/record-match.sh into a temporary directory) and
 * checks what does not depend on the machine's timing: every case produced its exchanges, the
 * protocol roles held (SIP, WireGuard), fragments were timed by the first, and Wireshark agrees
 * with every tcp, dns and icmp exchange. The committed match.pcap pins the timing-dependent
 * cases (MatchingCasesTest).
 *
 * <p>Needs root. Skipped otherwise, unless FLAT_REQUIRE_PRIVILEGED=1 (set by .ci/run).
 */
class MatchRecordingTest {
    private static final long RECORDING_TIMEOUT_SECONDS = 120;

    @Test
    void freshRecordingHoldsEveryMatchingCase(@TempDir Path dir) throws IOException, InterruptedException {
        LabRecordingTest.requireRoot();
        Path log = dir.resolve("record-match.log");
        Process p = new ProcessBuilder(GoldenReportTest.TESTDATA + "match/record-match.sh", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(RECORDING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the script's EXIT trap removes what it made
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("record-match.sh took over " + RECORDING_TIMEOUT_SECONDS + " s: "
                    + LabRecordingTest.read(log));
        }
        assertEquals(0, p.exitValue(), () -> "record-match.sh failed: " + LabRecordingTest.read(log));

        Path capture = dir.resolve("match.pcap");
        JsonNode report = new ObjectMapper().readTree(FlatRun.analyze("json", capture.toString()));
        JsonNode kinds = report.path("summary").path("kinds");
        // ECS A, ECS+cookie AAAA, inverse query, TXT over IPv4 and IPv6, the slow server's two
        assertEquals(7, kinds.path("dns").path("answered").asInt(), "dns");
        assertEquals(0, kinds.path("dns").path("unanswered").asInt(), "dns");
        // Five echo replies: two to one id/seq sent twice, one to a copy resent after a drop, two
        // to copies in flight together - one exchange and one unmatched reply when the second copy
        // left before the first reply (the usual case), two exchanges on a machine slow enough
        // to delay it more than the responder's 5 ms.
        JsonNode icmp = kinds.path("icmp");
        assertEquals(5, icmp.path("answered").asInt() + icmp.path("unmatched_responses").asInt(), "icmp");
        assertTrue(icmp.path("retransmits").asInt() >= 1, "the copy resent after the drop");
        assertEquals(2, report.path("input").path("skipped").path("non_first_fragment").asInt(),
                "the two answers' second fragments");
        // the SIP ACK and the two keep-alives
        assertEquals(3, report.path("summary").path("matcher").path("ignored_events").asInt());

        List<MeasuredExchange> flat = FlatJsonReport.exchanges(report.toString());
        List<MeasuredExchange> sip = flat.stream().filter(x -> x.serverPort() == 5060).toList();
        assertEquals(4, sip.size(), "OPTIONS from each agent, REGISTER, INVITE: " + sip);
        assertEquals(1, sip.stream().filter(x -> x.retransmits() == 1).count(), "the resent REGISTER");
        assertEquals(2, sip.stream().map(MeasuredExchange::client).distinct().count(), "both agents asked (the crossing OPTIONS)");
        // Both peers on 51820: an exchange that merely has an ephemeral port or an ICMP id of
        // 51820 on one side (the kernel picks them) is not one of theirs.
        List<MeasuredExchange> wireGuard = flat.stream()
                .filter(x -> x.kind().equals("udp") && x.clientPort() == 51820 && x.serverPort() == 51820).toList();
        assertEquals(2, wireGuard.size(), "WireGuard handshake and data: " + wireGuard);
        assertTrue(flat.stream().anyMatch(x -> x.serverPort() == 443), "the QUIC Initial answered");

        if (Tshark.available()) {
            WiresharkAgreement a = WiresharkAgreement.of(capture);
            assertTrue(a.agrees(), a::disagreement);
            assertEquals(7 + icmp.path("answered").asInt(), a.matching, "every dns and icmp exchange as Wireshark pairs it");
        }
    }
}
