package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flat.core.match.Kind;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlatConfigTest {
    private static byte[] v4Mapped(int a, int b, int c, int d) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) a, (byte) b, (byte) c, (byte) d};
    }

    @Test
    void encodesOptionsAtTheHeaderOffsets() {
        byte[] host = v4Mapped(10, 1, 2, 3);
        LiveOptions options = new LiveOptions("eth0", Backend.EBPF, AttachMode.AUTO, LiveOptions.DEFAULT_RING_BYTES,
                Set.of(Kind.DNS, Kind.ICMP), List.of(host), List.of(53, 65535));
        FlatConfig c = FlatConfig.allocate().set(options, FlatConfig.LINK_RAW_IP);
        assertEquals(FlatConfig.KIND_UDP | FlatConfig.KIND_ICMP, c.kinds());
        assertEquals(FlatConfig.LINK_RAW_IP, c.link());
        assertEquals(1, c.hostCount());
        byte[] back = new byte[16];
        c.copyHost(0, back, 0);
        assertArrayEquals(host, back);
        assertEquals(2, c.portCount());
        assertEquals(53, c.port(0));
        assertEquals(65535, c.port(1));
        assertEquals(0, c.port(2));
        // Little-endian host order, byte by byte as the kernel reads them.
        assertEquals(53, c.buffer().get(FlatConfig.PORTS_OFFSET));
        assertEquals(0, c.buffer().get(FlatConfig.PORTS_OFFSET + 1));
        assertEquals(FlatConfig.LINK_RAW_IP, c.buffer().get(FlatConfig.LINK_OFFSET));
        assertEquals(10, c.buffer().get(FlatConfig.HOSTS_OFFSET + 12));
    }

    @Test
    void noKindsMeansEveryKindAndUdpCoversDns() {
        assertEquals(FlatConfig.KIND_TCP | FlatConfig.KIND_UDP | FlatConfig.KIND_ICMP, FlatConfig.kindMask(Set.of()));
        assertEquals(FlatConfig.KIND_UDP, FlatConfig.kindMask(Set.of(Kind.UDP, Kind.DNS)));
        assertEquals(FlatConfig.KIND_TCP, FlatConfig.kindMask(Set.of(Kind.TCP)));
    }

    @Test
    void refusesWhatTheKernelStructCannotHold() {
        FlatConfig c = FlatConfig.allocate();
        assertThrows(IllegalArgumentException.class, () -> c.hosts(Collections.nCopies(9, v4Mapped(1, 2, 3, 4))));
        assertThrows(IllegalArgumentException.class, () -> c.hosts(List.of(new byte[4])));
        assertThrows(IllegalArgumentException.class, () -> c.ports(Collections.nCopies(9, 80)));
        assertThrows(IllegalArgumentException.class, () -> c.ports(List.of(65536)));
        assertThrows(IllegalArgumentException.class, () -> c.ports(List.of(-1)));
    }

    @Test
    void sizeMatchesTheLastField() {
        assertEquals(FlatConfig.PORTS_OFFSET + 2 * FlatConfig.MAX_PORTS, FlatConfig.ENCODED_LENGTH);
        assertEquals(FlatConfig.HOSTS_OFFSET + FlatConfig.HOST_LENGTH * FlatConfig.MAX_HOSTS, FlatConfig.PORTS_OFFSET);
    }
}
