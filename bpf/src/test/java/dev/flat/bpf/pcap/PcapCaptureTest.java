package dev.flat.bpf.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.bpf.AttachMode;
import dev.flat.bpf.Backend;
import dev.flat.bpf.LiveCaptureException;
import dev.flat.bpf.LiveCounters;
import dev.flat.bpf.LiveOptions;
import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.match.Kind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The libpcap fallback on the loopback interface (the only traffic a test may make outside its
 * own namespaces): UDP datagrams between two sockets of this JVM, recognised by their ports among
 * whatever else uses loopback meanwhile.
 */
class PcapCaptureTest {
    private static final int LOOPBACK_IFINDEX = 1;

    @Test
    void udpOnLoopbackArrivesInBothDirectionsWithWallClockTimes() throws Exception {
        requireRoot();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int serverPort = server.getLocalPort();
            int clientPort = client.getLocalPort();
            LiveOptions options = new LiveOptions("lo", Backend.PCAP, AttachMode.AUTO, LiveOptions.DEFAULT_RING_BYTES,
                    Set.of(Kind.UDP), List.of(), List.of(serverPort));
            try (PcapCapture capture = PcapCapture.open(options)) {
                assertEquals(LOOPBACK_IFINDEX, capture.ifindex());
                assertEquals(0, capture.clockOffsetNs());
                long before = System.currentTimeMillis() * 1_000_000L;
                byte[] payload = {0x12, 0x34, 0x56, 0x78, 0x01};
                client.send(new DatagramPacket(payload, payload.length, server.getLocalSocketAddress()));

                List<String> seen = new ArrayList<>();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    capture.poll(e -> {
                        if (e.sport() == clientPort && e.dport() == serverPort) {
                            assertTrue(e.tsNs() >= before - 1_000_000_000L, "wall-clock timestamp");
                            assertEquals(EventRecord.PROTO_UDP, e.ipProto());
                            assertEquals(5, e.payloadLen());
                            assertEquals(0x12345678, e.payloadWord());
                            assertEquals(LOOPBACK_IFINDEX, e.ifindex());
                            assertEquals(EventRecord.DIGITS_NS, e.tsDigits());
                            seen.add(Direction.of(e.direction()).name());
                        }
                    }, 200);
                }
                // libpcap's "any" device drops the outgoing copy of loopback packets (pcap-linux.c),
                // so loopback shows each datagram once, arriving.
                assertEquals(List.of("INGRESS"), seen);
                LiveCounters counters = capture.counters();
                assertTrue(counters.events() >= 1 && counters.packets() >= counters.events(), counters.toString());
                capture.close();
                capture.close();
                assertEquals(counters.events(), capture.counters().events(), "counters kept after close");
            }
        }
    }

    @Test
    void unknownInterfaceListsTheExistingOnes() {
        LiveOptions options = new LiveOptions("flat-nope0", Backend.PCAP, AttachMode.AUTO,
                LiveOptions.DEFAULT_RING_BYTES, Set.of(), List.of(), List.of());
        LiveCaptureException e = assertThrows(LiveCaptureException.class, () -> PcapCapture.open(options));
        assertTrue(e.getMessage().startsWith("unknown interface 'flat-nope0' (interfaces: "), e.getMessage());
        assertTrue(e.getMessage().contains("lo"), e.getMessage());
    }

    @Test
    void timestampKeepsEveryNanosecond() {
        java.sql.Timestamp ts = new java.sql.Timestamp(1_700_000_000_123L);
        ts.setNanos(123_456_789);
        assertEquals(1_700_000_000_123_456_789L, PcapCapture.wallClockNs(ts));
    }

    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("live capture needs root, but FLAT_REQUIRE_PRIVILEGED=1");
        }
        Assumptions.assumeTrue(root, "live capture needs root");
    }
}
