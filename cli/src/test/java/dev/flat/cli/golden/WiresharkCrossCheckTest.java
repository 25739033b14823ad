package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * flat's measurements against Wireshark's own dissectors, to the nanosecond (microsecond files
 * give microseconds on both sides): for every capture, the tcp, dns and icmp exchanges flat
 * reports are exactly the ones {@link WiresharkExchanges} derives from tshark's fields, with the
 * same endpoints, request time, latency, retransmit count, outcome and response TTL.
 *
 * <p>Needs tshark. Skipped without it on a developer machine; a failure where the run must be
 * complete (CI=true, or FLAT_REQUIRE_PRIVILEGED=1 as .ci/run sets).
 */
class WiresharkCrossCheckTest {
    private static final Set<String> COMPARED_KINDS = Set.of("tcp", "dns", "icmp");

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

    static final String ENCAP = "../testdata/encap/";

    @ParameterizedTest
    @ValueSource(strings = {
        GoldenReportTest.LAB + "lab.pcapng",
        GoldenReportTest.LAB + "lab.pcap",
        GoldenReportTest.LAB + "lab.pcap.gz",
        "../../shared/corpus/tcpreplay__test.pcap",
        "../../shared/corpus/zeek__wikipedia.pcap",
        "../../shared/corpus/tcpdump__dns_udp.pcap",
        "../../shared/corpus/tcpdump__tcp-handshake-nano.pcap",
        "../../shared/corpus/PcapPlusPlus__raw_ip.pcap",
        // Every other corpus capture in which Wireshark pairs something: more link types
        // (802.1Q, QinQ, SLL2, BSD loopback) and file variants (big-endian, multi-interface pcapng).
        // Not PcapPlusPlus__pcapng-example.pcapng: its two exchanges are on an interface whose
        // timestamps lie about 2^64 µs past the epoch, which flat counts as invalid_timestamp.
        "../../shared/corpus/PcapPlusPlus__nanosecs_big_endian.pcap",
        "../../shared/corpus/gopacket__test_loopback.pcap",
        "../../shared/corpus/suricata-verify__decode-sll2-02_input.pcap",
        "../../shared/corpus/zeek__http-vlan-0.pcap",
        "../../shared/corpus/zeek__http-qinq-0.pcap",
        "../../shared/corpus/PcapPlusPlus__many_interfaces-1.pcapng",
        "../../shared/corpus/zeek__pcapng-multi-interface.pcapng",
        // Link layers and tunnels (testdata/encap, docs/testdata.md): the inner packet's exchange.
        ENCAP + "nflog.pcap", ENCAP + "vlan-live.pcap", ENCAP + "qinq-live.pcap", ENCAP + "mpls-live.pcap", ENCAP + "vlan.pcap", ENCAP + "mpls.pcap", ENCAP + "pppoe.pcap", ENCAP + "ppp.pcap",
        ENCAP + "gre.pcap", ENCAP + "ipip.pcap", ENCAP + "wlan.pcap", ENCAP + "radiotap.pcap",
    })
    void flatAgreesWithWireshark(String capture) {
        List<MeasuredExchange> wireshark = WiresharkExchanges.of(Path.of(capture));
        assertFalse(wireshark.isEmpty(), "Wireshark sees no exchange in " + capture + ": nothing is compared");

        List<MeasuredExchange> flat = FlatJsonReport.exchanges(FlatRun.analyze("json", capture)).stream()
                .filter(x -> COMPARED_KINDS.contains(x.kind()))
                .sorted(MeasuredExchange.ORDER)
                .toList();

        assertEquals(MeasuredExchange.lines(wireshark), MeasuredExchange.lines(flat),
                "flat and Wireshark disagree on " + capture);
    }
}
