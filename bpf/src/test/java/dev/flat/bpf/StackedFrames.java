package dev.flat.bpf;

import java.io.ByteArrayOutputStream;

/**
 * Hand-made Ethernet frames with VLAN tag stacks and MPLS label stacks over the four kinds of
 * relevant packet, for the kernel/Java parity tests (BPF_PROG_TEST_RUN and a live veth). Header
 * checksums are left zero: neither parser reads them.
 *
 * <pre>
 *  dst MAC (6) | src MAC (6) | TPID (2) | TCI (2) | ... | ethertype (2) | label stack entries (4 each) | IP packet
 * </pre>
 */
final class StackedFrames {
    static final int TPID_8021Q = 0x8100;
    static final int TPID_8021AD = 0x88A8;
    static final int TPID_QINQ_OLD = 0x9100;
    /** The three TPIDs the parsers walk, in the order tests cycle through them (outer first). */
    static final int[] TPIDS = {TPID_8021AD, TPID_8021Q, TPID_QINQ_OLD};
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_MPLS = 0x8847;
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    static final int ETHERTYPE_ARP = 0x0806;

    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMPV6 = 58;

    private StackedFrames() {
    }

    /** A frame from the given MACs: tags (outer first, TPIDs as given), then ethertype and payload. */
    static byte[] ethernet(byte[] dstMac, byte[] srcMac, int[] tpids, int ethertype, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(dstMac);
        out.writeBytes(srcMac);
        for (int i = 0; i < tpids.length; i++) {
            put16(out, tpids[i]);
            put16(out, (i + 1) << 13 | (100 + i)); // PCP i+1, VLAN id 100+i: any value will do
        }
        put16(out, ethertype);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A frame between zero MAC addresses (BPF_PROG_TEST_RUN does not look at them). */
    static byte[] ethernet(int[] tpids, int ethertype, byte[] payload) {
        return ethernet(new byte[6], new byte[6], tpids, ethertype, payload);
    }

    /** {@code count} tags cycling through {@link #TPIDS}. */
    static int[] tags(int count) {
        int[] tpids = new int[count];
        for (int i = 0; i < count; i++) {
            tpids[i] = TPIDS[i % TPIDS.length];
        }
        return tpids;
    }

    /** {@code count} MPLS label stack entries (RFC 3032), bottom-of-stack set on the last, then the payload. */
    static byte[] mpls(int count, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int label = 16 + i; // 0-15 are reserved; any other value will do
            int bottom = i == count - 1 ? 1 : 0;
            put32(out, (long) label << 12 | (i & 7) << 9 | bottom << 8 | 64);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * An Ethernet pseudowire's payload under the bottom label: the PW MPLS control word (RFC 4385
     * section 3: first nibble 0, flags and length 0, sequence number 0x0102), then the Ethernet
     * frame (RFC 4448), which may carry tags and labels of its own.
     */
    static byte[] pseudowire(byte[] ethernetFrame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put32(out, 0x0102);
        out.writeBytes(ethernetFrame);
        return out.toByteArray();
    }

    static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    static final int PPP_IPV4 = 0x0021;
    static final int PPP_IPV6 = 0x0057;
    static final int PPP_LCP = 0xC021;

    /**
     * A PPPoE session header (RFC 2516 section 5: version/type, code, session id, length) and
     * PPP's protocol field, one byte when {@code compressed} (RFC 1661 protocol-field compression,
     * odd values only), then the payload.
     */
    static byte[] pppoe(int versionType, int code, int protocol, boolean compressed, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(versionType);
        out.write(code);
        put16(out, 0x1234);
        put16(out, (compressed ? 1 : 2) + payload.length);
        if (compressed) {
            out.write(protocol);
        } else {
            put16(out, protocol);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** An IP packet's ethertype, from its version nibble. */
    static int ethertypeOf(byte[] ipPacket) {
        return (ipPacket[0] & 0xF0) == 0x40 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
    }

    /** A DNS query for "a." over UDP/IPv4, 10.0.0.1:5353 → 10.0.0.2:53. */
    static byte[] ipv4DnsQuery() {
        return dnsQuery(4, 5353);
    }

    /** A DNS query for "a." from the given port to port 53, 10.0.0.1 → 10.0.0.2 or fd00::1 → fd00::2. */
    static byte[] dnsQuery(int ipVersion, int sport) {
        byte[] dns = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
        byte[] l4 = udp(sport, 53, dns);
        return ipVersion == 4 ? ipv4(PROTO_UDP, l4, new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2})
                : ipv6(PROTO_UDP, l4, v6(1), v6(2));
    }

    /** An ICMP echo request over IPv4, identifier 0x0abc, sequence 7. */
    static byte[] ipv4EchoRequest() {
        return ipv4(PROTO_ICMP, echo(8, 0x0ABC, 7), new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    }

    /** A TCP SYN over IPv6, fd00::1:40000 → fd00::2:443. */
    static byte[] ipv6TcpSyn() {
        return ipv6(PROTO_TCP, tcpSyn(40000, 443, 0x01020304L), v6(1), v6(2));
    }

    /** An ICMPv6 echo reply, identifier 0x0abc, sequence 9. */
    static byte[] ipv6EchoReply() {
        return ipv6(PROTO_ICMPV6, echo(129, 0x0ABC, 9), v6(2), v6(1));
    }

    static byte[] ipv4(int proto, byte[] l4, byte[] src, byte[] dst) {
        byte[] p = new byte[20 + l4.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = (byte) proto;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        System.arraycopy(l4, 0, p, 20, l4.length);
        return p;
    }

    static byte[] ipv6(int proto, byte[] l4, byte[] src, byte[] dst) {
        byte[] p = new byte[40 + l4.length];
        p[0] = 0x60;
        p[4] = (byte) (l4.length >> 8);
        p[5] = (byte) l4.length;
        p[6] = (byte) proto;
        p[7] = 64;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        System.arraycopy(l4, 0, p, 40, l4.length);
        return p;
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put16(out, sport);
        put16(out, dport);
        put16(out, 8 + payload.length);
        put16(out, 0);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] tcpSyn(int sport, int dport, long seq) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put16(out, sport);
        put16(out, dport);
        put32(out, seq);
        put32(out, 0);
        out.write(5 << 4); // data offset 5 words
        out.write(0x02);   // SYN
        put16(out, 64240);
        put32(out, 0);     // checksum, urgent pointer
        return out.toByteArray();
    }

    static byte[] echo(int type, int id, int seq) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(0);
        put16(out, 0);
        put16(out, id);
        put16(out, seq);
        out.writeBytes(new byte[] {'f', 'l', 'a', 't'});
        return out.toByteArray();
    }

    static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xFD;
        a[15] = (byte) last;
        return a;
    }

    private static void put16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void put32(ByteArrayOutputStream out, long v) {
        put16(out, (int) (v >> 16) & 0xFFFF);
        put16(out, (int) v & 0xFFFF);
    }
}
