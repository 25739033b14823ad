package dev.flat.replay;

import static dev.flat.replay.Bytes.u16be;
import static dev.flat.replay.Bytes.u32be;
import static dev.flat.replay.Bytes.u32le;
import static dev.flat.replay.Bytes.u8;

import dev.flat.core.event.Direction;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;

/**
 * The link-layer half of {@link FrameParser}: the state of the frame being parsed, and the walk
 * from a link header (or a tunnel's payload) to the first byte of the IP header, through VLAN
 * tags, MPLS label stacks and the link types of {@link LinkType}. {@link FrameParser} adds the
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

    static final int ETHERNET_HEADER = 14;
    static final int VLAN_TAG = 4;
    /** Label (20 bits), traffic class (3), bottom of stack (1), TTL (8): RFC 3032 section 2.1. */
    static final int MPLS_LABEL = 4;
    static final int SLL_HEADER = 16;
    static final int SLL2_HEADER = 20;
    static final int NULL_HEADER = 4;

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

    /** Offset of the IP header, with its version checked, or {@link #SKIPPED} / {@link #WANT_WHOLE_FRAME}. */
    final int networkStart(int linkType, int off) {
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethernet(off);
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
     * the three TPIDs in any order, then IPv4, IPv6 or an MPLS label stack.
     */
    final int afterEthertype(int ethertype, int pos) {
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
            default:
                return skip(SkipReason.NOT_IP);
        }
    }

    private static boolean isVlanTag(int ethertype) {
        return ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ || ethertype == ETHERTYPE_QINQ_OLD;
    }

    /**
     * An MPLS label stack, walked to the entry with the bottom-of-stack bit (at most
     * {@link FrameParser#MAX_MPLS_LABELS}). The stack does not say what it carries (RFC 3032
     * section 2.1 leaves that to the label's binding, which a passive observer never sees): as
     * Wireshark and the kernel's own MPLS router do (net/mpls/af_mpls.c, mpls_egress), the first
     * nibble of the payload decides, 4 for IPv4 and 6 for IPv6. Anything else (a pseudowire
     * control word, an Ethernet pseudowire's MAC address) is counted as not IP.
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
                return ipByVersionNibble(pos);
            }
        }
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
