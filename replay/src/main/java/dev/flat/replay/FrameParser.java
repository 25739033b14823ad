package dev.flat.replay;

import static dev.flat.replay.Bytes.s32be;
import static dev.flat.replay.Bytes.s64be;
import static dev.flat.replay.Bytes.u16be;
import static dev.flat.replay.Bytes.u32be;
import static dev.flat.replay.Bytes.u8;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.util.Objects;

/**
 * Turns one captured frame into an event record, applying the same rule as the tc probe
 * ({@code bpf/flat_event.h}): TCP segments with SYN or RST, every UDP datagram, ICMP and ICMPv6
 * echo request/reply. Every other frame is counted in {@link InputStats} under one
 * {@link SkipReason}. {@link LinkLayers} (and {@link Wlan}) walk the link layer to the IP header;
 * this class reads IP, enters tunnels (GRE, IP in IP) to the inner packet, which is the event,
 * and reads the transport header (docs/capture-formats.md).
 *
 * <p>Each step reads only bytes it has checked are captured: the captured length bounds every
 * read, and the IP header's own length bounds the transport header (Ethernet pads short frames to
 * 60 bytes, and the padding is not payload). Nothing is allocated; one instance is reused for a
 * whole capture and is not thread-safe.
 */
public final class FrameParser extends LinkLayers {
    /**
     * IPv6 extension headers walked before giving up (FLAT_MAX_EXT_HDRS in flat_event.h, the
     * probe's verifier loop bound; EventHeaderLayoutTest keeps them equal). In the order RFC 8200
     * section 4.1 recommends, a packet has at most five walkable headers (hop-by-hop,
     * destination, routing, fragment, destination) before the upper layer or AH/ESP, where the
     * walk stops: six leaves one spare.
     */
    public static final int MAX_EXTENSION_HEADERS = 6;
    /**
     * VLAN tags walked, of the three TPIDs in any order (FLAT_MAX_VLAN_TAGS in the probe,
     * bpf/flat_event.h). Two are common (QinQ); eight leaves room for provider stacking and
     * mistakes while keeping the probe's unrolled loop small. A ninth tag is skipped as
     * {@link SkipReason#TOO_MANY_ENCAPSULATIONS}.
     */
    public static final int MAX_VLAN_TAGS = 8;
    /**
     * MPLS label stack entries walked to the one with the bottom-of-stack bit (FLAT_MAX_MPLS_LABELS
     * in the probe, bpf/flat_event.h). Stacks seen in practice hold two to four labels (transport,
     * service, entropy label and its indicator, RFC 6790); a stack without a bottom within eight is
     * skipped as {@link SkipReason#TOO_MANY_ENCAPSULATIONS}.
     */
    public static final int MAX_MPLS_LABELS = 8;
    /**
     * Tunnels entered in one frame: IPv4 or IPv6 in IPv4 or IPv6 (IP protocols 4 and 41), GRE
     * (47) and Ethernet pseudowires under MPLS (RFC 4448). Real traffic nests two at most (IPv6
     * in IPv4 in GRE, a pseudowire inside a provider's pseudowire); a fifth tunnel is skipped as
     * {@link SkipReason#TOO_MANY_ENCAPSULATIONS}, so a crafted packet cannot make the parser
     * recurse deeply. The probe enters pseudowires only, to the same depth (FLAT_MAX_TUNNELS in
     * bpf/flat_event.h; EventHeaderLayoutTest keeps them equal).
     */
    public static final int MAX_TUNNELS = 4;

    static final int IPV4_MIN_HEADER = 20;
    /** IHL is 4 bits of 32-bit words. */
    static final int IPV4_MAX_HEADER = 60;
    static final int IPV6_HEADER = 40;
    static final int TCP_MIN_HEADER = 20;
    static final int UDP_HEADER = 8;
    /** Type, code, checksum, identifier, sequence (RFC 792, RFC 4443 section 4.1). */
    static final int ICMP_ECHO_HEADER = 8;

    static final int IPPROTO_HOPOPTS = 0;
    static final int IPPROTO_IPIP = 4;
    static final int IPPROTO_IPV6 = 41;
    static final int IPPROTO_ROUTING = 43;
    static final int IPPROTO_FRAGMENT = 44;
    static final int IPPROTO_GRE = 47;
    static final int IPPROTO_DSTOPTS = 60;

    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMP_ECHO_REQUEST = 8;
    static final int ICMPV6_ECHO_REQUEST = 128;
    static final int ICMPV6_ECHO_REPLY = 129;

    /**
     * The most an IP header and the transport rules read from the IP header's first byte: an
     * IPv4 header of at most 60 bytes (or the 40-byte IPv6 one) and the first 20 transport bytes
     * (TCP flags at 13, the UDP payload word at 8-11).
     */
    static final int IP_AND_TRANSPORT_READ = IPV4_MAX_HEADER + TCP_MIN_HEADER;
    /**
     * Bytes of a frame that are enough for the common frames: a link header of at most 20 bytes
     * (SLL2) and up to seven VLAN tags (28), or Ethernet with eight, then
     * {@link #IP_AND_TRANSPORT_READ}. A reader may hand {@link #parsePrefix} this many and copy
     * the rest of the frame only when the parser asks for it, which it does when a deeper
     * encapsulation (MPLS under tags, a pseudowire, radiotap, NFLOG, a tunnel) or a chain of IPv6 extension
     * headers puts what it reads past these bytes.
     */
    static final int HEADERS_PREFIX = 128;
    /** Low half of an IPv4-mapped IPv6 address (::ffff:0:0/96) without the IPv4 address. */
    private static final long V4_MAPPED = 0xFFFF_0000_0000L;

    /**
     * Parses one frame.
     *
     * @param linkType  link-layer header type ({@link LinkType})
     * @param buf       bytes of the frame; only {@code [off, off + capLen)} is read
     * @param tsNs      capture time, ns since the Unix epoch
     * @param tsDigits  sub-second digits of the source's timestamps (9 or 6)
     * @param direction {@link Direction#code()}; when UNKNOWN, a Linux cooked header supplies it
     * @param ifindex   kernel ifindex, or capture interface number + 1, or 0 when unknown
     * @param out       receives the event; its content is unspecified when this returns false
     * @return true when {@code out} holds an event (every field set, reserved bytes zero); false
     *         when the frame was skipped, counted in {@code stats} by reason
     */
    public boolean parse(int linkType, byte[] buf, int off, int capLen, long tsNs, int tsDigits,
                         int direction, long ifindex, EventRecord out, InputStats stats) {
        Objects.checkFromIndexSize(off, capLen, buf.length);
        return parseCopied(linkType, buf, off, capLen, capLen, tsNs, tsDigits, direction, ifindex, out, stats);
    }

    /**
     * Parses a frame of capLen captured bytes of which only the first {@code copied} are in buf
     * (at least {@code min(capLen, HEADERS_PREFIX)}): the captured length still bounds and
     * decides everything, as in {@link #parse}. When a rule would read past the copied bytes
     * (a deep encapsulation, a chain of IPv6 extension headers), this returns false with
     * {@link #needsWholeFrame()} true and nothing counted in stats; the caller then parses the
     * whole frame instead.
     */
    boolean parsePrefix(int linkType, byte[] buf, int off, int capLen, int copied, long tsNs, int tsDigits,
                        int direction, long ifindex, EventRecord out, InputStats stats) {
        if (capLen < 0 || copied < Math.min(capLen, HEADERS_PREFIX) || copied > capLen) {
            throw new IllegalArgumentException("copied " + copied + " of a " + capLen + "-byte frame");
        }
        Objects.checkFromIndexSize(off, copied, buf.length);
        return parseCopied(linkType, buf, off, capLen, copied, tsNs, tsDigits, direction, ifindex, out, stats);
    }

    /** True when the last {@link #parsePrefix} stopped for want of bytes beyond the copied ones. */
    boolean needsWholeFrame() { return needsWholeFrame; }

    private boolean parseCopied(int linkType, byte[] buf, int off, int capLen, int copied, long tsNs, int tsDigits,
                                int direction, long ifindex, EventRecord out, InputStats stats) {
        this.buf = buf;
        this.captureEnd = off + capLen;
        this.copiedEnd = off + copied;
        this.needsWholeFrame = false;
        this.direction = direction;
        this.stats = stats;
        this.tunnels = 0;
        int ip = networkStart(linkType, off);
        return ip >= 0 && parseIp(ip, out, tsNs, tsDigits, ifindex);
    }

    private boolean parseIp(int ip, EventRecord out, long tsNs, int tsDigits, long ifindex) {
        if (copiedEnd < captureEnd && copiedEnd - ip < IP_AND_TRANSPORT_READ) {
            return wantWholeFrame(); // a deep link layer pushed the IP header towards the prefix's end
        }
        return (u8(buf, ip) >>> 4) == 4 ? parseIpv4(ip, out, tsNs, tsDigits, ifindex)
                                        : parseIpv6(ip, out, tsNs, tsDigits, ifindex);
    }

    private boolean parseIpv4(int ip, EventRecord out, long tsNs, int tsDigits, long ifindex) {
        int available = captureEnd - ip;
        if (available < IPV4_MIN_HEADER) {
            return skipped(SkipReason.TRUNCATED_IP);
        }
        int headerLength = (u8(buf, ip) & 0x0F) * 4;
        int totalLength = u16be(buf, ip + 2);
        if (headerLength < IPV4_MIN_HEADER || (totalLength != 0 && totalLength < headerLength)) {
            return skipped(SkipReason.INCONSISTENT_HEADER);
        }
        if (headerLength > available) {
            return skipped(SkipReason.TRUNCATED_IP);
        }
        // RFC 791: 13-bit fragment offset; only the first fragment carries the transport header.
        int fragment = u16be(buf, ip + 6);
        if ((fragment & 0x1FFF) != 0) {
            return skipped(SkipReason.NON_FIRST_FRAGMENT);
        }
        boolean moreFragments = (fragment & 0x2000) != 0;
        int proto = u8(buf, ip + 9);
        int l4 = ip + headerLength;
        // Total length 0 means "not stated": segmentation-offload packets (IPv4 BIG TCP, which
        // the kernel reads back with skb_ip_totlen()) are as long as the capture. The probe
        // applies the same rule.
        int datagramEnd = totalLength == 0 ? captureEnd : ip + totalLength;
        if (isTunnel(proto)) {
            return tunnelled(proto, l4, datagramEnd, out, tsNs, tsDigits, ifindex);
        }
        if (!transportRelevant(proto, 4, l4, datagramEnd, moreFragments)) {
            return false;
        }
        fill(out, 4, proto, u8(buf, ip + 8), tsNs, tsDigits, ifindex, l4, datagramEnd);
        // ::ffff:a.b.c.d, the IPv4-mapped form (RFC 4291 section 2.5.5.2)
        out.saddr(0, V4_MAPPED | u32be(buf, ip + 12)).daddr(0, V4_MAPPED | u32be(buf, ip + 16));
        return true;
    }

    private boolean parseIpv6(int ip, EventRecord out, long tsNs, int tsDigits, long ifindex) {
        if (captureEnd - ip < IPV6_HEADER) {
            return skipped(SkipReason.TRUNCATED_IP);
        }
        int payloadLength = u16be(buf, ip + 4);
        // Payload length 0 is a jumbogram (RFC 2675) or a segmentation-offloaded packet (BIG
        // TCP) whose length the capture point never filled in: the captured bytes are all there is.
        int datagramEnd = payloadLength == 0 ? captureEnd : ip + IPV6_HEADER + payloadLength;
        int bound = Math.min(captureEnd, datagramEnd);
        int next = u8(buf, ip + 6);
        int pos = ip + IPV6_HEADER;
        boolean moreFragments = false;
        for (int walked = 0; isExtensionHeader(next); walked++) {
            if (walked == MAX_EXTENSION_HEADERS) {
                return skipped(SkipReason.TOO_MANY_EXTENSION_HEADERS);
            }
            // Every extension header walked here is at least 8 bytes (RFC 8200 section 4).
            if (bound - pos < 8) {
                return skipped(pos + 8 > datagramEnd ? SkipReason.INCONSISTENT_HEADER : SkipReason.TRUNCATED_IP);
            }
            if (pos + 8 > copiedEnd) {
                return wantWholeFrame();
            }
            int length;
            if (next == IPPROTO_FRAGMENT) {
                int offsetAndFlags = u16be(buf, pos + 2); // 13-bit offset, 2 reserved, M flag
                if ((offsetAndFlags & 0xFFF8) != 0) {
                    return skipped(SkipReason.NON_FIRST_FRAGMENT);
                }
                moreFragments = (offsetAndFlags & 1) != 0;
                length = 8;
            } else {
                length = (u8(buf, pos + 1) + 1) * 8; // Hdr Ext Len: 8-octet units, not counting the first 8
            }
            next = u8(buf, pos);
            pos += length;
        }
        if (pos > datagramEnd) {
            return skipped(SkipReason.INCONSISTENT_HEADER);
        }
        if (pos + TCP_MIN_HEADER > copiedEnd && copiedEnd < captureEnd) {
            return wantWholeFrame(); // the transport header lies past the copied prefix
        }
        if (isTunnel(next)) {
            return tunnelled(next, pos, datagramEnd, out, tsNs, tsDigits, ifindex);
        }
        if (!transportRelevant(next, 6, pos, datagramEnd, moreFragments)) {
            return false;
        }
        fill(out, 6, next, u8(buf, ip + 7), tsNs, tsDigits, ifindex, pos, datagramEnd);
        out.saddr(s64be(buf, ip + 8), s64be(buf, ip + 16)).daddr(s64be(buf, ip + 24), s64be(buf, ip + 32));
        return true;
    }

    private static boolean isTunnel(int proto) {
        return proto == IPPROTO_IPIP || proto == IPPROTO_IPV6 || proto == IPPROTO_GRE;
    }

    /**
     * The packet inside a tunnel, which is the exchange's: its addresses, ports and TTL are the
     * event's (docs/capture-formats.md says why the TTL is the inner one). The outer datagram's
     * end bounds it, so Ethernet padding after a short outer packet is never read as inner bytes;
     * an outer first fragment bounds it to the fragment, whose inner packet then looks cut short
     * as by a snap length. Non-first fragments of the outer packet were skipped before this.
     */
    private boolean tunnelled(int proto, int payload, int outerEnd, EventRecord out, long tsNs, int tsDigits,
                              long ifindex) {
        if (++tunnels > MAX_TUNNELS) {
            return skipped(SkipReason.TOO_MANY_ENCAPSULATIONS);
        }
        captureEnd = Math.min(captureEnd, outerEnd);
        copiedEnd = Math.min(copiedEnd, captureEnd);
        int inner = proto == IPPROTO_IPIP ? checkVersion(payload, 4)
                : proto == IPPROTO_IPV6 ? checkVersion(payload, 6)
                : grePayload(payload);
        return inner >= 0 && parseIp(inner, out, tsNs, tsDigits, ifindex);
    }

    private static boolean isExtensionHeader(int next) {
        return next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING
                || next == IPPROTO_FRAGMENT || next == IPPROTO_DSTOPTS;
    }

    /**
     * Checks the transport header and decides whether the packet is an event; counts the skip
     * when not. datagramEnd is where the IP header says the packet ends; a first fragment's UDP
     * length covers the whole reassembled datagram, so it is not held against this fragment.
     */
    private boolean transportRelevant(int proto, int ipVersion, int l4, int datagramEnd, boolean fragmented) {
        int available = Math.min(captureEnd, datagramEnd) - l4;
        switch (proto) {
            case EventRecord.PROTO_TCP: {
                if (available < TCP_MIN_HEADER) {
                    return skipped(SkipReason.TRUNCATED_TRANSPORT);
                }
                if (u8(buf, l4 + 12) >>> 4 < 5) { // data offset in 32-bit words, RFC 9293 section 3.1
                    return skipped(SkipReason.INCONSISTENT_HEADER);
                }
                int flags = u8(buf, l4 + 13);
                if ((flags & (EventRecord.TCP_SYN | EventRecord.TCP_RST)) == 0) {
                    return skipped(SkipReason.NOT_RELEVANT);
                }
                return true;
            }
            case EventRecord.PROTO_UDP: {
                if (available < UDP_HEADER) {
                    return skipped(SkipReason.TRUNCATED_TRANSPORT);
                }
                int udpLength = u16be(buf, l4 + 4);
                if (udpLength < UDP_HEADER || (!fragmented && udpLength > datagramEnd - l4)) {
                    return skipped(SkipReason.INCONSISTENT_HEADER);
                }
                return true;
            }
            case EventRecord.PROTO_ICMP:
            case EventRecord.PROTO_ICMPV6: {
                if ((proto == EventRecord.PROTO_ICMP) != (ipVersion == 4)) {
                    return skipped(SkipReason.OTHER_IP_PROTOCOL); // ICMPv4 over IPv6 or the reverse
                }
                if (available < ICMP_ECHO_HEADER) {
                    return skipped(SkipReason.TRUNCATED_TRANSPORT);
                }
                int type = u8(buf, l4);
                boolean echo = ipVersion == 4
                        ? type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY
                        : type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY;
                return echo || skipped(SkipReason.NOT_RELEVANT);
            }
            default:
                return skipped(SkipReason.OTHER_IP_PROTOCOL);
        }
    }

    /**
     * Every field but the addresses, from a transport header {@link #transportRelevant} accepted:
     * the record's words are composed in registers and stored once each (the caller stores the
     * addresses), so every byte of the record is written and the reserved ones are zero.
     */
    private void fill(EventRecord out, int ipVersion, int proto, int ttl, long tsNs, int tsDigits, long ifindex,
                      int l4, int datagramEnd) {
        int sport;
        int dport;
        int tcpFlags = 0;
        long tcpSeq = 0;
        long tcpAck = 0;
        int icmpType = 0;
        int icmpCode = 0;
        int payloadLength = 0;
        int payloadWord = 0;
        switch (proto) {
            case EventRecord.PROTO_TCP:
                sport = u16be(buf, l4);
                dport = u16be(buf, l4 + 2);
                tcpSeq = u32be(buf, l4 + 4);
                tcpAck = u32be(buf, l4 + 8);
                tcpFlags = u8(buf, l4 + 13);
                break;
            case EventRecord.PROTO_UDP: {
                sport = u16be(buf, l4);
                dport = u16be(buf, l4 + 2);
                payloadLength = u16be(buf, l4 + 4) - UDP_HEADER;
                int payload = l4 + UDP_HEADER;
                int captured = Math.min(captureEnd, datagramEnd) - payload;
                payloadWord = payloadWord(payload, Math.min(payloadLength, captured));
                break;
            }
            default: // ICMP / ICMPv6 echo: identifier → sport, sequence → dport
                icmpType = u8(buf, l4);
                icmpCode = u8(buf, l4 + 1);
                sport = u16be(buf, l4 + 4);
                dport = u16be(buf, l4 + 6);
                break;
        }
        out.packetHead(direction, ipVersion, proto, ttl, tcpFlags, icmpType, icmpCode, tsDigits, payloadLength, ifindex, tsNs)
                .transport(sport, dport, tcpSeq, tcpAck, payloadWord);
    }

    /** Stops a prefix parse before anything is counted or read past the copied bytes. */
    private boolean wantWholeFrame() {
        needsWholeFrame = true;
        return false;
    }

    /** Up to the first four payload bytes as a big-endian int, zero where there are fewer. */
    private int payloadWord(int payload, int length) {
        if (length >= EventRecord.PAYLOAD_LENGTH) {
            return s32be(buf, payload);
        }
        int word = 0;
        for (int i = 0; i < EventRecord.PAYLOAD_LENGTH; i++) {
            word = word << 8 | (i < length ? u8(buf, payload + i) : 0);
        }
        return word;
    }

    private boolean skipped(SkipReason reason) {
        stats.skip(reason);
        return false;
    }
}
