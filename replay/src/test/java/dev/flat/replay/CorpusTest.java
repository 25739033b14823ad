package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public capture in the corpus, read end to end: exact packet, event and skip counts, and
 * the clean outcome expected of the malformed ones.
 *
 * <p>Where the numbers come from: packets = {@code tshark -r F | wc -l}; events =
 * {@code tshark -r F -Y "<T>" | wc -l} with T = {@code tcp.flags.syn==1 || tcp.flags.reset==1 ||
 * udp || icmp.type==0 || icmp.type==8 || icmpv6.type==128 || icmpv6.type==129} (tshark 4.0.17).
 * Where flat's count differs, the note says which packets and why; those differences are the
 * documented rules of docs/capture-formats.md, not tolerances.
 */
class CorpusTest {
    enum Outcome { CLEAN, WARNING, ERROR }

    record Case(String file, long packets, long events, String skips, Outcome outcome, String message,
                long errorOffset, String note) {
        @Override
        public String toString() { return file; }
    }

    static Case clean(String file, long packets, long events, String skips, String note) {
        return new Case(file, packets, events, skips, Outcome.CLEAN, "", -1, note);
    }

    static Case warning(String file, long packets, long events, String skips, String warning, String note) {
        return new Case(file, packets, events, skips, Outcome.WARNING, warning, -1, note);
    }

    static Case error(String file, long offset, String problem, String note) {
        return new Case(file, 0, 0, "", Outcome.ERROR, problem, offset, note);
    }

    static Stream<Case> cases() {
        return Stream.of(
            clean("PcapPlusPlus__many_interfaces-1.pcapng", 64, 36, "not_relevant=28", "tshark: 64 / 36"),
            clean("PcapPlusPlus__nanosecs_big_endian.pcap", 10, 2, "not_relevant=8", "tshark: 10 / 2"),
            warning("PcapPlusPlus__pcapng-example.pcapng", 159, 4, "not_relevant=155",
                  "2 measured packets have a time field out of range",
                  "tshark: 159 / 4; frames 90 and 91 carry 64-bit timestamps beyond 2^63 ns "
                  + "(tshark shows 18446744073204 s), measured modulo 2^64"),
            clean("PcapPlusPlus__raw_ip.pcap", 100, 14, "not_relevant=86", "tshark: 100 / 14"),
            clean("arkime__bigendian.pcap", 2, 2, "", "tshark: 2 / 2"),
            clean("arkime__empty.pcap", 0, 0, "", "tshark: 0 / 0"),
            warning("gopacket__le_test901.pcapng", 1, 1, "",
                    "section at offset 480: unsupported pcapng version 2.0",
                    "tshark: 1 / 1 (it also stops at the version-2.0 section)"),
            clean("gopacket__test_loopback.pcap", 24, 2, "not_relevant=22", "tshark: 24 / 2"),
            error("libpcap__pcap-invalid-version-1.pcap", 4, "unsupported pcap version 1.4", "tshark rejects it too"),
            error("libpcap__pcapng-invalid-vers-1.pcapng", 12, "unsupported pcapng version 0.1", "tshark rejects it too"),
            error("libpcap__shb-option-too-long.pcapng", 48, "trailing block length 808464432 differs from the leading 52",
                  "the SHB's trailer is '0000' too; checked before its options"),
            clean("pcapng-test-generator__le_advanced_test102.pcapng", 5, 4, "no_timestamp=1",
                  "tshark: 8 records of which 5 packets; 1 SPB has no timestamp"),
            clean("pcapng-test-generator__le_basic_test001.pcapng", 4, 4, "", "tshark: 4 / 4"),
            clean("pcapng-test-generator__le_basic_test002.pcapng", 0, 0, "", "only an SHB"),
            clean("pcapng-test-generator__le_basic_test008.pcapng", 4, 4, "", "tshark: 4 / 4"),
            clean("pcapng-test-generator__le_basic_test010.pcapng", 4, 0, "no_timestamp=4",
                  "tshark: 4 / 4; all are SPBs, which carry no timestamp"),
            clean("pcapng-test-generator__le_basic_test016.pcapng", 4, 2, "no_timestamp=2", "tshark: 4 / 4; 2 SPBs"),
            clean("pcapng-test-generator__le_basic_test018.pcapng", 4, 2, "no_timestamp=2",
                  "tshark: 8 records (4 custom blocks) / 4; 2 SPBs"),
            clean("pcapng-test-generator__le_difficult_test200.pcapng", 0, 0, "", "tshark: 0 / 0, sections only"),
            clean("pcapng-test-generator__le_difficult_test202.pcapng", 8, 6, "no_timestamp=2",
                  "tshark: 11 records of which 8 packets / 8; 2 SPBs"),
            clean("suricata-verify__decode-sll2-02_input.pcap", 159, 2, "not_relevant=157", "tshark: 159 / 2"),
            warning("suricata-verify__http-mime-truncated_input.pcap", 2696, 3, "not_relevant=2693",
                    "cut short at offset 2715459 in packet 2697; results up to there kept", "tshark: 2696 / 3"),
            clean("tcpdump__LINKTYPE_IPV6.pcap", 1, 1, "", "tshark: 1 / 1"),
            clean("tcpdump__dns_udp.pcap", 2, 2, "", "tshark: 2 / 2"),
            clean("tcpdump__ipv6hdr-heapoverflow.pcap", 1, 0, "truncated_ip=1", "tshark: 1 / 0"),
            clean("tcpdump__tcp-handshake-nano.pcap", 3, 2, "not_relevant=1", "tshark: 3 / 2"),
            warning("tcpdump__timestamp_invalid_nano.pcap", 3, 2, "not_relevant=1",
                  "1 measured packet has a time field out of range",
                  "tshark: 3 / 2; the SYN/ACK's nanosecond field is >= 1e9, carried into the seconds"),
            clean("tcpdump__udp-length-heapoverflow.pcap", 1, 0, "truncated_transport=1",
                  "tshark: 1 / 1 (it matches 'udp' on a half header); only 4 of the 8 UDP header bytes are captured"),
            clean("tcpreplay__test.pcap", 179, 62, "not_relevant=110 not_ip=3 other_ip_protocol=4",
                  "tshark: 179 / 68; minus 6 ICMP port-unreachable (tshark matches the quoted UDP header); "
                  + "the 6 echo requests under MPLS labels straight over IPv4 and the 10 echo packets in "
                  + "Ethernet pseudowires with a control word under MPLS are events"),
            clean("zeek__http-qinq-0.pcap", 14, 2, "not_relevant=12", "tshark: 14 / 2"),
            clean("zeek__http-vlan-0.pcap", 14, 2, "not_relevant=12", "tshark: 14 / 2"),
            clean("zeek__pcapng-multi-interface.pcapng", 6, 6, "", "tshark: 6 / 6"),
            clean("zeek__trunc_ip4-trunc.pcap", 1, 0, "truncated_ip=1", "tshark: 1 / 0"),
            clean("zeek__trunc_ip6-ext-trunc.pcap", 1, 0, "truncated_ip=1", "tshark: 1 / 0"),
            clean("zeek__wikipedia.pcap", 136, 65, "not_relevant=61 not_ip=10", "tshark: 136 / 65"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsCorpusFile(Case c) throws IOException {
        Path file = Corpus.file(c.file());
        InputStats stats = new InputStats();
        if (c.outcome() == Outcome.ERROR) {
            InputException e = assertThrows(InputException.class, () -> Corpus.events(file, stats));
            assertEquals(file.toString(), e.file());
            assertEquals(c.errorOffset(), e.offset(), e.getMessage());
            assertTrue(e.problem().contains(c.message()), e.getMessage());
            return;
        }
        long[] delivered = {0};
        try (var source = Inputs.open(file)) {
            source.drainTo(e -> delivered[0]++, stats);
        }
        assertEquals(c.packets(), stats.packets(), "packets; " + c.note());
        assertEquals(c.events(), stats.events(), "events; " + c.note());
        assertEquals(c.events(), delivered[0], "events handed to the sink");
        assertEquals(c.skips(), skips(stats), "skips; " + c.note());
        assertEquals(c.packets(), c.events() + stats.skippedTotal(), "every packet is an event or counted as skipped");
        assertEquals(java.util.List.of(file.toString()), stats.files());
        if (c.outcome() == Outcome.WARNING) {
            assertEquals(1, stats.warnings().size(), stats.warnings().toString());
            assertTrue(stats.warnings().get(0).startsWith(file + ": "), stats.warnings().get(0));
            assertTrue(stats.warnings().get(0).contains(c.message()), stats.warnings().get(0));
        } else {
            assertEquals(java.util.List.of(), stats.warnings());
        }
    }

    /** A corpus file added later must get its row here. */
    @Test
    void everyCorpusFileHasACase() throws IOException {
        Set<String> listed = cases().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
        Set<String> present;
        try (Stream<Path> files = Files.list(Corpus.DIR)) {
            present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".pcap") || n.endsWith(".pcapng"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(present, listed);
    }

    private static String skips(InputStats stats) {
        Map<SkipReason, Long> byReason = new TreeMap<>(stats.skippedByReason());
        return byReason.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
