package dev.flat.bench;

/**
 * Builds one Ethernet II frame at a time into a reused array: {@link #begin} writes the Ethernet
 * and IP headers, the caller writes the transport header and payload at the returned offset, and
 * {@link #finish} fills in the lengths and checksums. Every checksum is correct (IPv4 header
 * RFC 791, TCP/UDP/ICMPv6 over the pseudo-header RFC 793 / RFC 768 / RFC 8200 section 8.1,
 * ICMP RFC 792), so tools that verify them (tshark) see a clean capture.
 */
final class FrameBuilder {
    static final int ETHERNET_HEADER = 14;
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    /** Ethernet MTU 1500 plus the Ethernet header: the largest frame the workload builds. */
    static final int MAX_FRAME = ETHERNET_HEADER + 1500;

    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMPV6 = 58;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IPv4 "don't fragment", as Linux sets it on TCP and on UDP with path MTU discovery. */
    private static final int IPV4_DF = 0x4000;

    private final byte[] frame = new byte[MAX_FRAME];
    private final HostTable hosts;
    private boolean ipv6;
    private int proto;
    private int ipv4Id;

    FrameBuilder(HostTable hosts) {
        this.hosts = hosts;
    }

    byte[] array() { return frame; }

    /** Writes the link and network headers from src to dst; returns the transport header's offset. */
    int begin(int src, int dst, boolean ipv6, int proto) {
        this.ipv6 = ipv6;
        this.proto = proto;
        hosts.copyMac(dst, frame, 0);
        hosts.copyMac(src, frame, 6);
        put16(12, ipv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
        int ip = ETHERNET_HEADER;
        int ttl = hosts.ttl(src);
        if (ipv6) {
            put32(ip, 0x6000_0000);                       // version 6, traffic class 0, flow label 0
            frame[ip + 6] = (byte) proto;                 // next header: no extension headers
            frame[ip + 7] = (byte) ttl;                   // hop limit
            hosts.copyV6(src, frame, ip + 8);
            hosts.copyV6(dst, frame, ip + 24);
            return ip + IPV6_HEADER;
        }
        frame[ip] = 0x45;                                 // version 4, IHL 5 (no options)
        frame[ip + 1] = 0;
        put16(ip + 4, ipv4Id = (ipv4Id + 1) & 0xFFFF);
        put16(ip + 6, proto == PROTO_TCP ? IPV4_DF : 0);
        frame[ip + 8] = (byte) ttl;
        frame[ip + 9] = (byte) proto;
        hosts.copyV4(src, frame, ip + 12);
        hosts.copyV4(dst, frame, ip + 16);
        return ip + IPV4_HEADER;
    }

    /** Completes the frame whose transport part (header + payload) is l4Length bytes; returns its length. */
    int finish(int l4Length) {
        int ip = ETHERNET_HEADER;
        int l4 = ip + (ipv6 ? IPV6_HEADER : IPV4_HEADER);
        if (ipv6) {
            put16(ip + 4, l4Length);
        } else {
            put16(ip + 2, IPV4_HEADER + l4Length);
            put16(ip + 10, 0);
            put16(ip + 10, ~fold(sum(ip, IPV4_HEADER, 0)) & 0xFFFF);
        }
        int checksumField = switch (proto) {
            case PROTO_TCP -> l4 + 16;
            case PROTO_UDP -> l4 + 6;
            default -> l4 + 2;                            // ICMP and ICMPv6
        };
        put16(checksumField, 0);
        long s = sum(l4, l4Length, 0);
        if (proto != PROTO_ICMP) {                        // ICMPv4 has no pseudo-header
            s = ipv6 ? sum(ip + 8, 32, s) : sum(ip + 12, 8, s);
            s += proto + l4Length;
        }
        int c = ~fold(s) & 0xFFFF;
        if (c == 0 && proto == PROTO_UDP) {
            c = 0xFFFF;                                   // RFC 768: 0 means "no checksum"
        }
        put16(checksumField, c);
        return l4 + l4Length;
    }

    void put8(int off, int v) { frame[off] = (byte) v; }

    void put16(int off, int v) {
        frame[off] = (byte) (v >>> 8);
        frame[off + 1] = (byte) v;
    }

    void put32(int off, long v) {
        frame[off] = (byte) (v >>> 24);
        frame[off + 1] = (byte) (v >>> 16);
        frame[off + 2] = (byte) (v >>> 8);
        frame[off + 3] = (byte) v;
    }

    void copy(byte[] src, int srcOff, int off, int len) { System.arraycopy(src, srcOff, frame, off, len); }

    /** One's-complement sum of 16-bit big-endian words (RFC 1071), not yet folded. */
    private long sum(int off, int len, long s) {
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            s += ((frame[i] & 0xFF) << 8) | (frame[i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            s += (frame[off + len - 1] & 0xFF) << 8;
        }
        return s;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
