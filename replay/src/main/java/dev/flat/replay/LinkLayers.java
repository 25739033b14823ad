package dev.flat.replay;

import static dev.flat.replay.Bytes.u16;
import static dev.flat.replay.Bytes.u16be;
import static dev.flat.replay.Bytes.u16le;
import static dev.flat.replay.Bytes.u32be;
import static dev.flat.replay.Bytes.u32le;
import static dev.flat.replay.Bytes.u8;

import dev.flat.core.event.Direction;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;

/**
 * The link-layer half of {@link FrameParser}: the state of the frame being parsed, and the walk
 * from a link header (or a tunnel's payload) to the first byte of the IP header, through VLAN
 * tags, MPLS label stacks, Ethernet pseudowires and the link types of {@link LinkType}. {@link FrameParser} adds the
 * IP and transport layers and the tunnels found there.
 *
 * <p>Every step returns the offset it reached, or {@link #SKIPPED} having counted one reason in
 * the stats, or {@link #WANT_WHOLE_FRAME} having counted nothing, when the bytes it needs were
 * captured but lie past the prefix a reader copied ({@link FrameParser#parsePrefix}). Bytes are
 * read only after {@link #lack} has checked them. Nothing is allocated.
 */
abstract class LinkLayers {
    /** A step's result: the frame was skipped, its reason counted. */
    static final int SKIPPED = -1;
    /** A step's result: the frame needs bytes past the copied prefix; nothing counted. */
    static final int WANT_WHOLE_FRAME = -2;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;      // IEEE 802.1Q
    static final int ETHERTYPE_QINQ = 0x88A8;      // IEEE 802.1ad service tag
    static final int ETHERTYPE_QINQ_OLD = 0x9100;  // pre-standard QinQ, still emitted by some switches
    static final int ETHERTYPE_MPLS = 0x8847;      // RFC 3032 section 5: MPLS unicast
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    static final int ETHERTYPE_PPPOE_SESSION = 0x8864; // RFC 2516 section 5; 0x8863 (discovery) is not IP
    /** GRE protocol type of a bridged Ethernet frame (gretap, RFC 1701's "transparent Ethernet bridging"). */
    static final int ETHERTYPE_TEB = 0x6558;
    /** GRE protocol type of PPTP's PPP payload (RFC 2637 section 4.1). */
    static final int ETHERTYPE_PPP = 0x880B;

    static final int ETHERNET_HEADER = 14;
    static final int VLAN_TAG = 4;
    /** Label (20 bits), traffic class (3), bottom of stack (1), TTL (8): RFC 3032 section 2.1. */
    static final int MPLS_LABEL = 4;
    /**
     * The PW MPLS control word (RFC 4385 section 3): 0000, flags (4), FRG (2), length (6),
     * sequence number (16). An Ethernet pseudowire's frame follows it (RFC 4448 section 4.4).
     */
    static final int PW_CONTROL_WORD = 4;
    static final int SLL_HEADER = 16;
    static final int SLL2_HEADER = 20;
    static final int NULL_HEADER = 4;
    /** Version/type (0x11), code (0 in session), session id, length: RFC 2516 section 4. */
    static final int PPPOE_HEADER = 6;
    static final int PPPOE_VERSION_TYPE = 0x11;
    /** PPP protocol numbers (RFC 1332, RFC 5072). */
    static final int PPP_IPV4 = 0x0021;
    static final int PPP_IPV6 = 0x0057;
    /** Cisco HDLC: address (0x0F unicast, 0x8F broadcast), control (0), ethertype. */
    static final int CISCO_HDLC_HEADER = 4;

    /** GRE flags (RFC 2784, RFC 2890): checksum, routing (RFC 1701 only), key, sequence number. */
    static final int GRE_CHECKSUM = 0x8000;
    static final int GRE_ROUTING = 0x4000;
    static final int GRE_KEY = 0x2000;
    static final int GRE_SEQUENCE = 0x1000;
    /** PPTP's enhanced GRE (RFC 2637 section 4.1): version 1, acknowledgement number present. */
    static final int GRE_ACK = 0x0080;
    static final int GRE_VERSION_MASK = 0x0007;
    static final int GRE_HEADER = 4;
    static final int GRE_OPTIONAL_WORD = 4;

    /** nfnetlink_log: family (1), version (1), resource id (2, network order), then TLVs. */
    static final int NFLOG_HEADER = 4;
    /** TLV length (2) and type (2), in the capturing host's byte order; values padded to 4 bytes. */
    static final int NFLOG_TLV_HEADER = 4;
    /** NFULA_PAYLOAD in linux/netfilter/nfnetlink_log.h: the packet from its network header. */
    static final int NFULA_PAYLOAD = 9;
    /** NLA_TYPE_MASK (linux/netlink.h): the type without NLA_F_NESTED and NLA_F_NET_BYTEORDER. */
    static final int NLA_TYPE_MASK = 0x3FFF;
    /**
     * TLVs walked before the payload: nfnetlink_log.h defines about twenty attribute types and the
     * kernel puts each at most once in a message, so 32 is never reached by a real record.
     */
    static final int MAX_NFLOG_TLVS = 32;
    static final int NFPROTO_IPV4 = 2;
    static final int NFPROTO_IPV6 = 10;

    /** linux/if_packet.h: PACKET_HOST..PACKET_OTHERHOST are received, PACKET_OUTGOING sent. */
    static final int PACKET_OTHERHOST = 3;
    static final int PACKET_OUTGOING = 4;

    /** BSD address families: AF_INET is 2 everywhere, AF_INET6 is 24 (NetBSD, OpenBSD),
     *  28 (FreeBSD) or 30 (macOS), and the file does not say which system wrote it. */
    static final int AF_INET = 2;
    static final int AF_INET6_BSD = 24;
    static final int AF_INET6_FREEBSD = 28;
    static final int AF_INET6_DARWIN = 30;

    // State of the frame being parsed, kept in fields so that the steps stay small without
    // allocating a result object per frame.
    byte[] buf;
    /** End of the frame's captured bytes; a tunnel's payload may lower it to the outer datagram's end. */
    int captureEnd;
    /** End of the bytes actually present in buf: captureEnd, or less in {@link FrameParser#parsePrefix}. */
    int copiedEnd;
    boolean needsWholeFrame;
    int direction;
    InputStats stats;
    /**
     * Tunnels entered so far in the frame being parsed, at most {@link FrameParser#MAX_TUNNELS}:
     * Ethernet pseudowires here, IP in IP and GRE in {@link FrameParser}. One count for both, as
     * each can carry the other (GRE to Ethernet to MPLS, a pseudowire to IP to GRE).
     */
    int tunnels;

    /** Offset of the IP header, with its version checked, or {@link #SKIPPED} / {@link #WANT_WHOLE_FRAME}. */
    final int networkStart(int linkType, int off) {
        // Ethernet on its own: the common path stays a few small methods the JIT inlines whole.
        return linkType == LinkType.ETHERNET ? ethernet(off) : otherLinkType(linkType, off);
    }

    private int otherLinkType(int linkType, int off) {
        switch (linkType) {
            case LinkType.LINUX_SLL: {
                // packet type (2), ARPHRD (2), address length (2), address (8), protocol (2)
                int lack = lack(off, SLL_HEADER, SkipReason.TRUNCATED_LINK);
                if (lack != 0) {
                    return lack;
                }
                directionFromPacketType(u16be(buf, off));
                return afterEthertype(u16be(buf, off + 14), off + SLL_HEADER);
            }
            case LinkType.LINUX_SLL2: {
                // protocol (2), reserved (2), ifindex (4), ARPHRD (2), packet type (1), address
                // length (1), address (8)
                int lack = lack(off, SLL2_HEADER, SkipReason.TRUNCATED_LINK);
                if (lack != 0) {
                    return lack;
                }
                directionFromPacketType(u8(buf, off + 10));
                return afterEthertype(u16be(buf, off), off + SLL2_HEADER);
            }
            case LinkType.DLT_RAW:
            case LinkType.DLT_RAW_OPENBSD:
            case LinkType.RAW:
                return ipByVersionNibble(off);
            case LinkType.IPV4:
                return checkVersion(off, 4);
            case LinkType.IPV6:
                return checkVersion(off, 6);
            case LinkType.NULL: {
                int lack = lack(off, NULL_HEADER, SkipReason.TRUNCATED_LINK);
                if (lack != 0) {
                    return lack;
                }
                // Host byte order of the machine that captured; families are small numbers, so
                // a value with high bits set was written in the other byte order.
                long family = u32le(buf, off);
                if ((family & 0xFFFF_0000L) != 0) {
                    family = u32be(buf, off);
                }
                return afterAddressFamily(family, off + NULL_HEADER);
            }
            case LinkType.LOOP: {
                int lack = lack(off, NULL_HEADER, SkipReason.TRUNCATED_LINK);
                if (lack != 0) {
                    return lack;
                }
                return afterAddressFamily(u32be(buf, off), off + NULL_HEADER);
            }
            case LinkType.PPP:
            case LinkType.PPP_HDLC:
                return pppOrCiscoHdlc(off);
            case LinkType.PPP_ETHER:
                return pppoeSession(off);
            case LinkType.C_HDLC:
                return ciscoHdlc(off);
            case LinkType.PPP_WITH_DIR:
            case LinkType.C_HDLC_WITH_DIR: {
                int lack = lack(off, 1, SkipReason.TRUNCATED_LINK);
                if (lack != 0) {
                    return lack;
                }
                if (direction == Direction.UNKNOWN.code()) {
                    direction = u8(buf, off) == 0 ? Direction.INGRESS.code() : Direction.EGRESS.code();
                }
                return linkType == LinkType.PPP_WITH_DIR ? pppOrCiscoHdlc(off + 1) : ciscoHdlc(off + 1);
            }
            case LinkType.NFLOG:
                return nflogPayload(off);
            case LinkType.IEEE802_11:
                return Wlan.dataFrame(this, off, false);
            case LinkType.IEEE802_11_RADIOTAP:
                return Wlan.afterRadiotap(this, off);
            default:
                stats.unsupportedLinkType(linkType);
                return SKIPPED;
        }
    }

    /** Ethernet II: destination, source, ethertype; then whatever the ethertype announces. */
    final int ethernet(int pos) {
        int lack = lack(pos, ETHERNET_HEADER, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        return afterEthertype(u16be(buf, pos + 12), pos + ETHERNET_HEADER);
    }

    /**
     * The payload of an ethertype: up to {@link FrameParser#MAX_VLAN_TAGS} VLAN tags of any of
     * the three TPIDs in any order, then IPv4, IPv6, an MPLS label stack or a PPPoE session.
     */
    final int afterEthertype(int ethertype, int pos) {
        if (ethertype == ETHERTYPE_IPV4) {
            return checkVersion(pos, 4); // untagged IP first: most frames, two compares
        }
        if (ethertype == ETHERTYPE_IPV6) {
            return checkVersion(pos, 6);
        }
        return afterOtherEthertype(ethertype, pos);
    }

    private int afterOtherEthertype(int ethertype, int pos) {
        for (int tags = 0; isVlanTag(ethertype); tags++) {
            if (tags == FrameParser.MAX_VLAN_TAGS) {
                return skip(SkipReason.TOO_MANY_ENCAPSULATIONS);
            }
            int lack = lack(pos, VLAN_TAG, SkipReason.TRUNCATED_LINK);
            if (lack != 0) {
                return lack;
            }
            ethertype = u16be(buf, pos + 2); // TCI (2), then the inner ethertype
            pos += VLAN_TAG;
        }
        switch (ethertype) {
            case ETHERTYPE_IPV4:
                return checkVersion(pos, 4);
            case ETHERTYPE_IPV6:
                return checkVersion(pos, 6);
            case ETHERTYPE_MPLS:
            case ETHERTYPE_MPLS_MULTICAST:
                return mplsPayload(pos);
            case ETHERTYPE_PPPOE_SESSION:
                return pppoeSession(pos);
            default:
                return skip(SkipReason.NOT_IP);
        }
    }

    private static boolean isVlanTag(int ethertype) {
        return ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ || ethertype == ETHERTYPE_QINQ_OLD;
    }

    /**
     * An MPLS label stack, walked to the entry with the bottom-of-stack bit (at most
     * {@link FrameParser#MAX_MPLS_LABELS}), then what it carries ({@link #afterLabelStack}).
     */
    private int mplsPayload(int pos) {
        for (int labels = 0; ; labels++) {
            if (labels == FrameParser.MAX_MPLS_LABELS) {
                return skip(SkipReason.TOO_MANY_ENCAPSULATIONS);
            }
            int lack = lack(pos, MPLS_LABEL, SkipReason.TRUNCATED_LINK);
            if (lack != 0) {
                return lack;
            }
            boolean bottomOfStack = (u8(buf, pos + 2) & 1) != 0;
            pos += MPLS_LABEL;
            if (bottomOfStack) {
                return afterLabelStack(pos);
            }
        }
    }

    /**
     * The payload under the bottom label. The stack does not say what it carries (RFC 3032
     * section 2.1 leaves that to the label's binding, which a passive observer never sees), so
     * the first nibble decides, as in Wireshark and, for IP, the kernel's MPLS router for a
     * route without a payload type (net/mpls/af_mpls.c, mpls_egress): 4 is IPv4, 6 is IPv6, and
     * 0 is the PW MPLS control word (RFC 4385 section 3), which this takes to start an Ethernet
     * pseudowire (RFC 4448), as Wireshark's heuristic does. 1 is the associated channel header
     * (G-ACh, RFC 5586: OAM, not traffic), and anything else is not IP either. A pseudowire
     * without a control word is not decoded: its payload starts with a MAC address, whose first
     * nibble can be anything, 4 and 6 included, so no rule tells it from IP.
     */
    private int afterLabelStack(int pos) {
        int lack = lack(pos, 1, SkipReason.TRUNCATED_IP);
        if (lack != 0) {
            return lack;
        }
        int nibble = u8(buf, pos) >>> 4;
        if (nibble == 0) {
            return ethernetPseudowire(pos);
        }
        return nibble == 4 || nibble == 6 ? pos : skip(SkipReason.NOT_IP);
    }

    /**
     * An Ethernet pseudowire (RFC 4448 section 4.4): the control word, then an Ethernet frame
     * without preamble and FCS, walked as any other, so it may hold VLAN tags and MPLS again.
     * It is a tunnel and counts towards {@link FrameParser#MAX_TUNNELS}: pseudowires nested in
     * one another cannot make the walk recurse deeper than that.
     */
    private int ethernetPseudowire(int pos) {
        if (++tunnels > FrameParser.MAX_TUNNELS) {
            return skip(SkipReason.TOO_MANY_ENCAPSULATIONS);
        }
        int lack = lack(pos, PW_CONTROL_WORD, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        return ethernet(pos + PW_CONTROL_WORD);
    }

    /**
     * A PPPoE session packet (RFC 2516 section 5): its 6-byte header, then a PPP protocol field.
     * Discovery packets (ethertype 0x8863) never get here: they are not IP.
     */
    final int pppoeSession(int pos) {
        int lack = lack(pos, PPPOE_HEADER, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        if (u8(buf, pos) != PPPOE_VERSION_TYPE || u8(buf, pos + 1) != 0) {
            return skip(SkipReason.INCONSISTENT_HEADER); // a session packet has code 0
        }
        return afterPppProtocol(pos + PPPOE_HEADER);
    }

    /**
     * A PPP frame, or a Cisco HDLC one where the link type allows both (LINKTYPE_PPP_HDLC): Cisco
     * HDLC starts with 0x0F or 0x8F, PPP with RFC 1662's address and control bytes FF 03, which
     * ACFC (RFC 1661 section 6.6) may have removed.
     */
    final int pppOrCiscoHdlc(int pos) {
        int lack = lack(pos, 1, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        int first = u8(buf, pos);
        if (first == 0x0F || first == 0x8F) {
            return ciscoHdlc(pos);
        }
        if (first == 0xFF) {
            lack = lack(pos, 2, SkipReason.TRUNCATED_LINK);
            if (lack != 0) {
                return lack;
            }
            if (u8(buf, pos + 1) != 0x03) {
                return skip(SkipReason.INCONSISTENT_HEADER); // the address is FF, the control 03 (UI)
            }
            pos += 2;
        }
        return afterPppProtocol(pos);
    }

    /** Cisco HDLC: address, control, then an ethertype. */
    private int ciscoHdlc(int pos) {
        int lack = lack(pos, CISCO_HDLC_HEADER, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        return afterEthertype(u16be(buf, pos + 2), pos + CISCO_HDLC_HEADER);
    }

    /**
     * A PPP protocol field: one byte when compressed (PFC, RFC 1661 section 6.5: protocol
     * numbers have an even first byte and an odd second one, so an odd first byte is a whole
     * compressed field), else two. IPv4 (0x0021) and IPv6 (0x0057) are IP; LCP, IPCP, CCP and
     * the rest are not.
     */
    private int afterPppProtocol(int pos) {
        int lack = lack(pos, 1, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        int protocol = u8(buf, pos);
        if ((protocol & 1) != 0) {
            pos += 1;
        } else {
            lack = lack(pos, 2, SkipReason.TRUNCATED_LINK);
            if (lack != 0) {
                return lack;
            }
            protocol = u16be(buf, pos);
            pos += 2;
        }
        if (protocol == PPP_IPV4) {
            return checkVersion(pos, 4);
        }
        if (protocol == PPP_IPV6) {
            return checkVersion(pos, 6);
        }
        return skip(SkipReason.NOT_IP);
    }

    /**
     * A GRE header (IP protocol 47) and what it carries. Version 0 (RFC 2784 with RFC 2890's key
     * and sequence number): the optional words the flags announce, then an ethertype, 0x6558
     * being a whole Ethernet frame (gretap). Version 1 is PPTP's (RFC 2637 section 4.1): a key,
     * a sequence number when it carries a payload, an acknowledgement number, then PPP. RFC
     * 1701's source routing (deprecated by RFC 2784) and other versions are not decoded.
     */
    final int grePayload(int pos) {
        int lack = lack(pos, GRE_HEADER, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        int flags = u16be(buf, pos);
        int protocol = u16be(buf, pos + 2);
        int version = flags & GRE_VERSION_MASK;
        int length = GRE_HEADER;
        if (version == 0 && (flags & GRE_ROUTING) == 0) {
            length += optionalWord(flags, GRE_CHECKSUM) + optionalWord(flags, GRE_KEY)
                    + optionalWord(flags, GRE_SEQUENCE);
        } else if (version == 1 && protocol == ETHERTYPE_PPP && (flags & (GRE_CHECKSUM | GRE_ROUTING)) == 0) {
            if ((flags & GRE_SEQUENCE) == 0) {
                return skip(SkipReason.NOT_IP); // an acknowledgement alone: no payload
            }
            length += GRE_OPTIONAL_WORD + GRE_OPTIONAL_WORD + optionalWord(flags, GRE_ACK);
        } else {
            return skip(SkipReason.UNSUPPORTED_ENCAPSULATION);
        }
        lack = lack(pos, length, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        pos += length;
        switch (protocol) {
            case ETHERTYPE_TEB:
                return ethernet(pos);
            case ETHERTYPE_PPP:
                return pppOrCiscoHdlc(pos);
            default:
                return afterEthertype(protocol, pos);
        }
    }

    private static int optionalWord(int flags, int flag) {
        return (flags & flag) != 0 ? GRE_OPTIONAL_WORD : 0;
    }

    /**
     * NFLOG (tcpdump.org's LINKTYPE_NFLOG): TLVs walked to NFULA_PAYLOAD, the packet from its
     * network header. TLV lengths and types are in the byte order of the host that captured
     * (libpcap and Wireshark's file readers turn them into the reading host's): as Wireshark
     * did before it relied on that, the first TLV's type decides, since every attribute type is
     * below 256 and so reads as 256 or more in the other order. The family says IPv4 or IPv6;
     * for any other (bridge, netdev) the version nibble decides.
     */
    private int nflogPayload(int pos) {
        int lack = lack(pos, NFLOG_HEADER, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        int family = u8(buf, pos);
        int tlv = pos + NFLOG_HEADER;
        boolean bigEndian = false;
        for (int walked = 0; walked < MAX_NFLOG_TLVS; walked++) {
            if (tlv == captureEnd) {
                return skip(SkipReason.TRUNCATED_IP); // no payload attribute: the packet was not copied
            }
            lack = lack(tlv, NFLOG_TLV_HEADER, SkipReason.TRUNCATED_LINK);
            if (lack != 0) {
                return lack;
            }
            if (walked == 0) {
                bigEndian = (u16le(buf, tlv + 2) & NLA_TYPE_MASK) >= 0x100;
            }
            int length = u16(buf, tlv, bigEndian);
            if (length < NFLOG_TLV_HEADER) {
                return skip(SkipReason.INCONSISTENT_HEADER); // the walk could not advance
            }
            if ((u16(buf, tlv + 2, bigEndian) & NLA_TYPE_MASK) == NFULA_PAYLOAD) {
                int packet = tlv + NFLOG_TLV_HEADER;
                return family == NFPROTO_IPV4 ? checkVersion(packet, 4)
                        : family == NFPROTO_IPV6 ? checkVersion(packet, 6)
                        : ipByVersionNibble(packet);
            }
            tlv += (length + 3) & ~3;
            if (tlv > captureEnd) {
                return skip(SkipReason.TRUNCATED_LINK);
            }
        }
        return skip(SkipReason.INCONSISTENT_HEADER);
    }

    private void directionFromPacketType(int packetType) {
        if (direction != Direction.UNKNOWN.code()) {
            return; // the capture format's own direction (pcapng epb_flags) wins
        }
        if (packetType == PACKET_OUTGOING) {
            direction = Direction.EGRESS.code();
        } else if (packetType <= PACKET_OTHERHOST) {
            direction = Direction.INGRESS.code();
        }
        // PACKET_LOOPBACK (5), PACKET_USER/KERNEL (6, 7): neither received from nor sent to the
        // wire; the direction stays unknown.
    }

    private int afterAddressFamily(long family, int pos) {
        if (family == AF_INET) {
            return checkVersion(pos, 4);
        }
        if (family == AF_INET6_BSD || family == AF_INET6_FREEBSD || family == AF_INET6_DARWIN) {
            return checkVersion(pos, 6);
        }
        return skip(SkipReason.NOT_IP);
    }

    /** Bare IP whose version nibble decides: 4 or 6, anything else is not IP. */
    final int ipByVersionNibble(int pos) {
        int lack = lack(pos, 1, SkipReason.TRUNCATED_IP);
        if (lack != 0) {
            return lack;
        }
        int version = u8(buf, pos) >>> 4;
        return version == 4 || version == 6 ? pos : skip(SkipReason.NOT_IP);
    }

    /** The layer below announced an IP version; the header must agree. */
    final int checkVersion(int pos, int announced) {
        int lack = lack(pos, 1, SkipReason.TRUNCATED_IP);
        if (lack != 0) {
            return lack;
        }
        if (u8(buf, pos) >>> 4 != announced) {
            return skip(SkipReason.INCONSISTENT_HEADER);
        }
        return pos;
    }

    /**
     * 0 when the n bytes at pos are captured and copied. Otherwise {@link #SKIPPED}, counted under
     * {@code truncated}, when the capture ends before them, or {@link #WANT_WHOLE_FRAME} when
     * only the copied prefix does: the whole frame decides, so a prefix never counts a skip the
     * whole frame would not.
     */
    final int lack(int pos, int n, SkipReason truncated) {
        if (captureEnd - pos < n) {
            return skip(truncated);
        }
        if (copiedEnd - pos < n) {
            needsWholeFrame = true;
            return WANT_WHOLE_FRAME;
        }
        return 0;
    }

    final int skip(SkipReason reason) {
        stats.skip(reason);
        return SKIPPED;
    }
}
