package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The captures of testdata/encap, one per link layer or tunnel (docs/testdata.md says how each was
 * made): exact packet, event and skip counts. Packets = {@code tshark -r F | wc -l}; events =
 * what tshark's dissection shows as flat's kinds of packet (the filter of TsharkCrossCheckTest,
 * which also compares every event field by field); the skips are the frames each file holds
 * on purpose that carry no measurable packet.
 */
class EncapsulationCapturesTest {
    record Case(String file, int linkType, long packets, long events, String skips) {
        @Override
        public String toString() { return file; }
    }

    static Stream<Case> cases() {
        return Stream.of(
            new Case("nflog.pcap", LinkType.NFLOG, 34, 16, "not_relevant=18"), // ND, MLD, TCP without SYN/RST
            // Recorded through a bridge by record-tagged.sh: MLD, ND, TCP without SYN/RST; IGMP.
            new Case("vlan-live.pcap", LinkType.ETHERNET, 33, 16, "not_relevant=16 other_ip_protocol=1"),
            new Case("qinq-live.pcap", LinkType.ETHERNET, 36, 16, "not_relevant=19 other_ip_protocol=1"),
            new Case("mpls-live.pcap", LinkType.ETHERNET, 33, 16, "not_relevant=16 other_ip_protocol=1"),
            new Case("vlan.pcap", LinkType.ETHERNET, 57, 55, "not_ip=1 too_many_encapsulations=1"), // ARP; 9 tags
            new Case("mpls.pcap", LinkType.ETHERNET, 34, 34, ""), // the last in an Ethernet pseudowire
            new Case("pppoe.pcap", LinkType.ETHERNET, 25, 22, "not_ip=3"), // PADI, PADO, LCP
            new Case("ppp.pcap", LinkType.PPP, 24, 22, "not_ip=2"), // LCP, IPCP
            new Case("gre.pcap", LinkType.ETHERNET, 46, 44, "not_ip=2"), // PPTP acknowledgement, ERSPAN
            new Case("ipip.pcap", LinkType.ETHERNET, 22, 22, ""),
            new Case("wlan.pcap", LinkType.IEEE802_11, 26, 22, "not_data_frame=3 encrypted=1"), // beacon, ACK, null
            new Case("radiotap.pcap", LinkType.IEEE802_11_RADIOTAP, 26, 22, "not_data_frame=3 encrypted=1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsCapture(Case c) throws IOException {
        Path file = Path.of(TsharkCrossCheckTest.ENCAP, c.file());
        byte[] header = Files.readAllBytes(file);
        assertEquals(c.linkType(), Bytes.u32le(header, 20), "link type in the file header");
        InputStats stats = new InputStats();
        Corpus.events(file, stats);
        assertEquals(c.packets(), stats.packets(), "packets");
        assertEquals(c.events(), stats.events(), "events");
        Map<SkipReason, Long> byReason = new TreeMap<>(stats.skippedByReason());
        assertEquals(c.skips(), byReason.entrySet().stream().map(e -> e.getKey().label() + "=" + e.getValue())
                .collect(Collectors.joining(" ")), "skips");
        assertEquals(java.util.List.of(), stats.warnings());
    }

    /** A capture added to testdata/encap must get its row here. */
    @Test
    void everyCaptureHasACase() throws IOException {
        Set<String> listed = cases().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
        Set<String> present;
        try (Stream<Path> files = Files.list(Path.of(TsharkCrossCheckTest.ENCAP))) {
            present = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcap"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(present, listed);
    }
}
