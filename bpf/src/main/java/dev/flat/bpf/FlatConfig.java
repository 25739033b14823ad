package dev.flat.bpf;

import dev.flat.core.match.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

/**
 * Flyweight over {@code struct flat_config} (bpf/flat_event.h), the probe's whole {@code .rodata}:
 * written into the object's initial value before load, read-only in the kernel afterwards, so the
 * verifier prunes the branches of disabled kinds.
 *
 * <pre>
 *  0 kinds  (u32, FLAT_KIND_* bitmask)      4 link   (u32, FLAT_LINK_*)
 *  8 nhosts (u32, 0 = no host filter)      12 nports (u32, 0 = no port filter)
 * 16 hosts[8][16] (network order, IPv4 as IPv4-mapped IPv6)
 * 144 ports[8] (u16, host order)           160 end
 * </pre>
 *
 * Host-order fields are little-endian: flat requires a little-endian host (see flat_event.h).
 * EventHeaderLayoutTest checks these offsets against the C header.
 */
public final class FlatConfig {
    public static final int KINDS_OFFSET = 0;
    public static final int LINK_OFFSET = 4;
    public static final int NHOSTS_OFFSET = 8;
    public static final int NPORTS_OFFSET = 12;
    public static final int HOSTS_OFFSET = 16;
    public static final int PORTS_OFFSET = 144;
    public static final int ENCODED_LENGTH = 160;

    public static final int MAX_HOSTS = 8;
    public static final int MAX_PORTS = 8;
    public static final int HOST_LENGTH = 16;

    public static final int KIND_TCP = 1;
    /** DNS travels as UDP: the kernel passes all UDP and user space tells DNS apart. */
    public static final int KIND_UDP = 2;
    public static final int KIND_ICMP = 4;

    public static final int LINK_ETHERNET = 0;
    /** tun, WireGuard, ipip...: packets start at the IP header. */
    public static final int LINK_RAW_IP = 1;

    private ByteBuffer buffer;
    private int offset;

    /** A config backed by its own zeroed buffer. */
    public static FlatConfig allocate() {
        return new FlatConfig().wrap(ByteBuffer.allocate(ENCODED_LENGTH).order(ByteOrder.LITTLE_ENDIAN), 0);
    }

    public FlatConfig wrap(ByteBuffer buffer, int offset) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("flat_config is little-endian; set the buffer's order");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public ByteBuffer buffer() { return buffer; }
    public int offset() { return offset; }

    public int kinds() { return buffer.getInt(offset + KINDS_OFFSET); }
    public int link() { return buffer.getInt(offset + LINK_OFFSET); }
    public int hostCount() { return buffer.getInt(offset + NHOSTS_OFFSET); }
    public int portCount() { return buffer.getInt(offset + NPORTS_OFFSET); }
    public int port(int i) { return buffer.getShort(offset + PORTS_OFFSET + 2 * i) & 0xFFFF; }

    public void copyHost(int i, byte[] dst, int dstOffset) {
        buffer.get(offset + HOSTS_OFFSET + HOST_LENGTH * i, dst, dstOffset, HOST_LENGTH);
    }

    public FlatConfig kinds(int mask) { buffer.putInt(offset + KINDS_OFFSET, mask); return this; }
    public FlatConfig link(int link) { buffer.putInt(offset + LINK_OFFSET, link); return this; }

    /** Sets the host filter: each address 16 bytes, network order (IPv4-mapped for IPv4). */
    public FlatConfig hosts(List<byte[]> hosts) {
        if (hosts.size() > MAX_HOSTS) {
            throw new IllegalArgumentException("at most " + MAX_HOSTS + " hosts can be filtered in the kernel, got " + hosts.size());
        }
        for (int i = 0; i < MAX_HOSTS; i++) {
            int at = offset + HOSTS_OFFSET + HOST_LENGTH * i;
            if (i < hosts.size()) {
                byte[] host = hosts.get(i);
                if (host.length != HOST_LENGTH) {
                    throw new IllegalArgumentException("host filter addresses are 16 bytes (IPv4-mapped for IPv4), got " + host.length);
                }
                buffer.put(at, host, 0, HOST_LENGTH);
            } else {
                buffer.putLong(at, 0L).putLong(at + 8, 0L);
            }
        }
        buffer.putInt(offset + NHOSTS_OFFSET, hosts.size());
        return this;
    }

    public FlatConfig ports(List<Integer> ports) {
        if (ports.size() > MAX_PORTS) {
            throw new IllegalArgumentException("at most " + MAX_PORTS + " ports can be filtered in the kernel, got " + ports.size());
        }
        for (int i = 0; i < MAX_PORTS; i++) {
            int port = i < ports.size() ? ports.get(i) : 0;
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            buffer.putShort(offset + PORTS_OFFSET + 2 * i, (short) port);
        }
        buffer.putInt(offset + NPORTS_OFFSET, ports.size());
        return this;
    }

    /** The FLAT_KIND_* mask for a set of kinds; an empty set means every kind. */
    public static int kindMask(Set<Kind> kinds) {
        if (kinds.isEmpty()) {
            return KIND_TCP | KIND_UDP | KIND_ICMP;
        }
        int mask = 0;
        for (Kind k : kinds) {
            mask |= switch (k) {
                case TCP -> KIND_TCP;
                case DNS, UDP -> KIND_UDP;
                case ICMP -> KIND_ICMP;
            };
        }
        return mask;
    }

    /** Fills the whole config from the capture options and the interface's link type. */
    public FlatConfig set(LiveOptions options, int link) {
        return kinds(kindMask(options.kinds())).link(link).hosts(options.hosts()).ports(options.ports());
    }
}
