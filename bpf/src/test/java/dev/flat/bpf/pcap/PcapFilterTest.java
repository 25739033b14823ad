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
        assertTrue(f.contains("(host 10.0.0.1 or host fd00:0:0:0:0:0:0:2)"), f);
        // ICMP never passes a port setting (no ports in an echo): only the port and IPv6 chains.
        assertTrue(f.contains("(port 80 or " + PcapFilter.IPV6_EXTENSION_CHAIN + ")"), f);
        assertTrue(!f.contains("or icmp or"), "icmp must not pass a port filter: " + f);
        assertTrue(!f.contains(PcapFilter.UDP + " or"), "udp not selected: " + f);
    }

    private static void assertCompiles(String expression) throws Exception {
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.getInstance(LinkType.LINUX_SLL2), PcapCapture.SNAPLEN)) {
            BpfProgram program = dead.compileFilter(expression, BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            assertEquals(expression, program.getExpression());
            program.free();
        }
    }
}
