package dev.flat.replay;

import java.io.ByteArrayOutputStream;

/**
 * Hand-built frames for parser tests. Checksums stay zero: the parser does not verify them.
 * Addresses: IPv4 10.0.0.1 → 10.0.0.2, IPv6 fd00::1 → fd00::2.
 */
final class Frames {
    static final byte[] V4_SRC = {10, 0, 0, 1};
    static final byte[] V4_DST = {10, 0, 0, 2};
    static final byte[] V6_SRC = v6(1);
    static final byte[] V6_DST = v6(2);

    private Frames() {}

    static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[15] = (byte) last;
        return a;
    }

    static byte[] tcp(int sport, int dport, long seq, long ack, int flags) {
        byte[] t = new byte[20];
        put16(t, 0, sport);
        put16(t, 2, dport);
        put32(t, 4, seq);
        put32(t, 8, ack);
        t[12] = 5 << 4;
        t[13] = (byte) flags;
        put16(t, 14, 65535);
        return t;
    }

    static byte[] udp(int sport, int dport, byte... payload) {
        byte[] u = new byte[8 + payload.length];
        put16(u, 0, sport);
        put16(u, 2, dport);
        put16(u, 4, u.length);
        System.arraycopy(payload, 0, u, 8, payload.length);
        return u;
    }

    static byte[] icmp(int type, int code, int id, int seq) {
        byte[] i = new byte[8 + 4];
        i[0] = (byte) type;
        i[1] = (byte) code;
        put16(i, 4, id);
        put16(i, 6, seq);
        return i;
    }

    /** IPv4 with optionWords 32-bit words of options (NOP-filled), DF set, TTL 61. */
    static byte[] ipv4(int proto, byte[] l4, int optionWords) {
        int ihl = 20 + optionWords * 4;
        byte[] p = new byte[ihl + l4.length];
        p[0] = (byte) (0x40 | (ihl / 4));
        put16(p, 2, p.length);
        put16(p, 4, 0x1234);
        put16(p, 6, 0x4000);
        p[8] = 61;
        p[9] = (byte) proto;
        System.arraycopy(V4_SRC, 0, p, 12, 4);
        System.arraycopy(V4_DST, 0, p, 16, 4);
        for (int i = 20; i < ihl; i++) {
            p[i] = 1; // NOP
        }
        System.arraycopy(l4, 0, p, ihl, l4.length);
        return p;
    }

    static byte[] ipv4(int proto, byte[] l4) {
        return ipv4(proto, l4, 0);
    }

    /** IPv6, hop limit 62, with the given extension headers (each 8 bytes, fragment offset 0). */
    static byte[] ipv6(int proto, byte[] l4, int... extensions) {
        byte[] p = new byte[40 + 8 * extensions.length + l4.length];
        p[0] = 0x60;
        put16(p, 4, p.length - 40);
        p[6] = (byte) (extensions.length > 0 ? extensions[0] : proto);
        p[7] = 62;
        System.arraycopy(V6_SRC, 0, p, 8, 16);
        System.arraycopy(V6_DST, 0, p, 24, 16);
        for (int i = 0; i < extensions.length; i++) {
            int at = 40 + 8 * i;
            p[at] = (byte) (i + 1 < extensions.length ? extensions[i + 1] : proto);
            p[at + 1] = 0; // 8 bytes; for a fragment header this byte is reserved
        }
        System.arraycopy(l4, 0, p, 40 + 8 * extensions.length, l4.length);
        return p;
    }

    /**
     * IPv6 with {@code count} destination-options headers of {@code units} + 1 eight-octet units
     * each (up to 2048 bytes); the parser walks them by their lengths and never reads options.
     */
    static byte[] ipv6DestinationOptions(int proto, byte[] l4, int count, int units) {
        int each = (units + 1) * 8;
        byte[] p = new byte[40 + count * each + l4.length];
        System.arraycopy(ipv6(proto, new byte[0]), 0, p, 0, 40);
        put16(p, 4, p.length - 40);
        p[6] = (byte) (count > 0 ? 60 : proto);
        for (int i = 0; i < count; i++) {
            int at = 40 + i * each;
            p[at] = (byte) (i + 1 < count ? 60 : proto);
            p[at + 1] = (byte) units;
        }
        System.arraycopy(l4, 0, p, 40 + count * each, l4.length);
        return p;
    }

    /** Ethernet II; tags are outer first, each a TPID (the TCI is VLAN 5). */
    static byte[] ethernet(int ethertype, byte[] payload, int... tagTpids) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        for (int tpid : tagTpids) {
            o.writeBytes(new byte[] {(byte) (tpid >> 8), (byte) tpid, 0, 5});
        }
        o.writeBytes(new byte[] {(byte) (ethertype >> 8), (byte) ethertype});
        o.writeBytes(payload);
        return o.toByteArray();
    }

    /** An MPLS label stack of {@code labels} entries (labels 16, 17...; TTL 64), bottom-of-stack set on the last. */
    static byte[] mpls(int labels, byte[] payload) {
        byte[] f = new byte[4 * labels + payload.length];
        for (int i = 0; i < labels; i++) {
            put32(f, 4 * i, (16L + i) << 12 | (i == labels - 1 ? 0x100 : 0) | 64);
        }
        System.arraycopy(payload, 0, f, 4 * labels, payload.length);
        return f;
    }

    /**
     * An Ethernet pseudowire's payload with the PW MPLS control word (RFC 4385 section 3: first
     * nibble 0, flags and length 0, sequence number 0x1234), then the Ethernet frame (RFC 4448).
     */
    static byte[] pseudowire(byte[] ethernetFrame) {
        return concat(new byte[] {0, 0, 0x12, 0x34}, ethernetFrame);
    }

    /**
     * PPP: FF 03 when {@code addressControl}, the protocol in one byte when {@code compressed}
     * (it must then be odd), else two.
     */
    static byte[] ppp(boolean addressControl, boolean compressed, int protocol, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (addressControl) {
            o.writeBytes(new byte[] {(byte) 0xFF, 0x03});
        }
        if (!compressed) {
            o.write(protocol >> 8);
        }
        o.write(protocol);
        o.writeBytes(payload);
        return o.toByteArray();
    }

    /** A PPPoE session packet (session 0x1234) carrying PPP with a two-byte protocol. */
    static byte[] pppoe(int protocol, byte[] payload) {
        byte[] f = new byte[6 + 2 + payload.length];
        f[0] = 0x11;
        put16(f, 2, 0x1234);
        put16(f, 4, 2 + payload.length);
        put16(f, 6, protocol);
        System.arraycopy(payload, 0, f, 8, payload.length);
        return f;
    }

    /** A GRE header with the given flags word (each optional word present is filled with 0x5A) and protocol. */
    static byte[] gre(int flags, int protocol, byte[] payload) {
        int words = Integer.bitCount(flags & 0xB000) + Integer.bitCount(flags & 0x0080); // C, K, S; PPTP's A
        byte[] f = new byte[4 + 4 * words + payload.length];
        java.util.Arrays.fill(f, 4, 4 + 4 * words, (byte) 0x5A);
        put16(f, 0, flags);
        put16(f, 2, protocol);
        System.arraycopy(payload, 0, f, 4 + 4 * words, payload.length);
        return f;
    }

    /**
     * NFLOG as nfnetlink_log writes it: header (family, version 0, resource id 7), then
     * NFULA_PACKET_HDR (1), NFULA_PREFIX (10, "flat-nflog" and its NUL, padded) and
     * NFULA_PAYLOAD (9), lengths and types in the given byte order.
     */
    static byte[] nflog(int family, boolean bigEndian, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {(byte) family, 0, 0, 7});
        nflogTlv(o, bigEndian, 1, new byte[] {0x08, 0x00, 3, 0});
        nflogTlv(o, bigEndian, 10, "flat-nflog\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        nflogTlv(o, bigEndian, 9, payload);
        return o.toByteArray();
    }

    static void nflogTlv(ByteArrayOutputStream o, boolean bigEndian, int type, byte[] value) {
        int length = 4 + value.length;
        byte[] h = bigEndian
                ? new byte[] {(byte) (length >> 8), (byte) length, (byte) (type >> 8), (byte) type}
                : new byte[] {(byte) length, (byte) (length >> 8), (byte) type, (byte) (type >> 8)};
        o.writeBytes(h);
        o.writeBytes(value);
        o.writeBytes(new byte[(4 - length % 4) % 4]);
    }

    /**
     * An 802.11 data frame: frame control (subtype, flags), duration, three addresses (four when
     * to-DS and from-DS), sequence control (fragment 0), QoS control (its first byte {@code qos})
     * for QoS subtypes and HT control when such a frame has the order flag, then RFC 1042 LLC/SNAP
     * with the ethertype and the payload.
     */
    static byte[] wlanData(int subtype, int flags, int qos, int ethertype, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {(byte) (subtype << 4 | 2 << 2), (byte) flags, 0x2C, 0});
        for (int a = 0; a < ((flags & 3) == 3 ? 4 : 3); a++) {
            o.writeBytes(new byte[] {2, 0, 0, 0, 0, (byte) (a + 1)});
            if (a == 2) {
                o.writeBytes(new byte[] {0x10, 0x00}); // sequence 1, fragment 0
            }
        }
        if ((subtype & 8) != 0) {
            o.writeBytes(new byte[] {(byte) qos, 0});
            if ((flags & 0x80) != 0) {
                o.writeBytes(new byte[] {1, 2, 3, 4});
            }
        }
        o.writeBytes(new byte[] {(byte) 0xAA, (byte) 0xAA, 3, 0, 0, 0, (byte) (ethertype >> 8), (byte) ethertype});
        o.writeBytes(payload);
        return o.toByteArray();
    }

    /**
     * A radiotap header: present = TSFT (when {@code tsft}) and flags, with {@code extraPresentWords}
     * empty extended present words first; the flags field is aligned as radiotap requires.
     */
    static byte[] radiotap(boolean tsft, int extraPresentWords, int radioFlags, byte[] frame) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int fields = 8 + 4 * extraPresentWords;
        int flagsAt = tsft ? ((fields + 7) & ~7) + 8 : fields;
        int length = flagsAt + 1 + 1; // flags, then a rate byte as real headers have
        o.writeBytes(new byte[] {0, 0, (byte) length, (byte) (length >> 8)});
        long first = (tsft ? 1 : 0) | 2 | 4 | (extraPresentWords > 0 ? 1L << 31 : 0);
        for (int w = 0; w <= extraPresentWords; w++) {
            long word = w == 0 ? first : (w < extraPresentWords ? 1L << 31 : 0);
            o.writeBytes(new byte[] {(byte) word, (byte) (word >> 8), (byte) (word >> 16), (byte) (word >> 24)});
        }
        o.writeBytes(new byte[flagsAt - fields]); // alignment padding and the TSFT value
        o.write(radioFlags);
        o.write(0x0C); // rate: 6 Mb/s
        o.writeBytes(frame);
        return o.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] sll(int packetType, int protocol, byte[] payload) {
        byte[] f = new byte[16 + payload.length];
        put16(f, 0, packetType);
        put16(f, 2, 1); // ARPHRD_ETHER
        put16(f, 4, 6);
        put16(f, 14, protocol);
        System.arraycopy(payload, 0, f, 16, payload.length);
        return f;
    }

    static byte[] sll2(int packetType, int protocol, byte[] payload) {
        byte[] f = new byte[20 + payload.length];
        put16(f, 0, protocol);
        put32(f, 4, 3); // ifindex
        put16(f, 8, 1);
        f[10] = (byte) packetType;
        f[11] = 6;
        System.arraycopy(payload, 0, f, 20, payload.length);
        return f;
    }

    /** BSD loopback header with the family in the given byte order. */
    static byte[] loopback(long family, boolean bigEndian, byte[] payload) {
        byte[] f = new byte[4 + payload.length];
        if (bigEndian) {
            put32(f, 0, family);
        } else {
            f[0] = (byte) family;
            f[1] = (byte) (family >> 8);
            f[2] = (byte) (family >> 16);
            f[3] = (byte) (family >> 24);
        }
        System.arraycopy(payload, 0, f, 4, payload.length);
        return f;
    }

    static byte[] pad(byte[] frame, int length, byte fill) {
        byte[] f = new byte[Math.max(length, frame.length)];
        java.util.Arrays.fill(f, fill);
        System.arraycopy(frame, 0, f, 0, frame.length);
        return f;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        put16(b, i, (int) (v >> 16));
        put16(b, i + 2, (int) v);
    }
}
