package dev.flat.bpf.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.match.Kind;
import dev.flat.replay.LinkType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/** The expressions must compile with the installed libpcap for LINUX_SLL2 (no privileges needed). */
class PcapFilterTest {
    private static final byte[] V4 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
    private static final byte[] V6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    @Test
    void everyKindAndSettingCompiles() throws Exception {
        assertCompiles(PcapFilter.expression(3, Set.of(), List.of(), List.of()));
        for (Kind k : Kind.values()) {
            assertCompiles(PcapFilter.expression(3, Set.of(k), List.of(), List.of()));
        }
        assertCompiles(PcapFilter.expression(3, Set.of(Kind.TCP, Kind.DNS), List.of(V4, V6), List.of(53, 443)));
    }

    @Test
    void hostsAreWrittenAsTextAndIpv4Unmapped() {
        String f = PcapFilter.expression(7, Set.of(Kind.TCP), List.of(V4, V6), List.of(80));
        assertTrue(f.startsWith("ifindex 7 and ("), f);
        assertTrue(f.contains("(host 10.0.0.1 or host fd00:0:0:0:0:0:0:2 or " + PcapFilter.ENCAPSULATED + ")"), f);
        // ICMP never passes a port setting (no ports in an echo): only the port and IPv6 chains.
        assertTrue(f.contains("(port 80 or " + PcapFilter.IPV6_EXTENSION_CHAIN + " or " + PcapFilter.ENCAPSULATED + ")"), f);
        assertTrue(!f.contains("or icmp or"), "icmp must not pass a port filter: " + f);
        assertTrue(!f.contains(PcapFilter.UDP + " or"), "udp not selected: " + f);
    }

    /**
     * Frames whose IP header lies below a further VLAN tag, an MPLS stack or a PPPoE session
     * reach the parser whatever the settings (libpcap's host, port and IP primitives cannot see
     * into them); plain IP traffic the settings exclude, and other ethertypes, do not.
     */
    @Test
    void encapsulatedFramesPassForTheParserToDecide() throws Exception {
        String f = PcapFilter.expression(7, Set.of(Kind.DNS), List.of(V4), List.of(53));
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.getInstance(LinkType.LINUX_SLL2), PcapCapture.SNAPLEN)) {
            BpfProgram program = dead.compileFilter(f, BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                for (int ethertype : new int[] {0x8100, 0x88a8, 0x9100, 0x8847, 0x8848, 0x8864}) {
                    assertTrue(program.applyFilter(sll2(7, ethertype)), String.format("ethertype %04x", ethertype));
                }
                assertTrue(!program.applyFilter(sll2(7, 0x0806)), "ARP stays out");
                assertTrue(!program.applyFilter(sll2(8, 0x8847)), "another interface stays out");
            } finally {
                program.free();
            }
        }
    }

    /** A LINUX_SLL2 header (protocol, reserved, ifindex, ...) and 40 zero bytes after it. */
    private static byte[] sll2(int ifindex, int ethertype) {
        byte[] frame = new byte[20 + 40];
        frame[0] = (byte) (ethertype >>> 8);
        frame[1] = (byte) ethertype;
        frame[7] = (byte) ifindex;
        frame[9] = 1; // ARPHRD_ETHER
        frame[11] = 6;
        return frame;
    }

    private static void assertCompiles(String expression) throws Exception {
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.getInstance(LinkType.LINUX_SLL2), PcapCapture.SNAPLEN)) {
            BpfProgram program = dead.compileFilter(expression, BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            assertEquals(expression, program.getExpression());
            program.free();
        }
    }
}
