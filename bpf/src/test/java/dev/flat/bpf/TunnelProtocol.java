package dev.flat.bpf;

/**
 * Where an Ethernet frame names a tunnel: the offset of the IPv4 protocol or IPv6 next-header byte
 * that says IP in IP (4), IPv6 (41) or GRE (47) in the packet the probe parses. FrameParser enters
 * such tunnels to the inner packet; the probe does not (docs/probe.md, "What becomes a record"),
 * so it treats the packet as FrameParser treats one whose protocol it does not know. The parity
 * test checks exactly that by writing {@link #UNASSIGNED} over this byte for the Java side.
 *
 * <p>The walk is the probe's: VLAN tags, then an MPLS stack to the version nibble (0: a pseudowire's
 * control word and an Ethernet frame, walked again) or a PPPoE session to the PPP protocol, then
 * IPv4 or IPv6 with up to FLAT_MAX_EXT_HDRS extension headers.
 * It only locates a byte; whether the headers around it are well formed is left to the parsers.
 */
final class TunnelProtocol {
    /** RFC 3692's experimental protocol number: no parser decodes it. */
    static final int UNASSIGNED = 253;

    private static final int IPPROTO_IPIP = 4;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_GRE = 47;
    private static final int MAX_STACK = 16; // walk a little past both parsers' bounds

    private TunnelProtocol() {
    }

    /** The offset of the protocol byte naming a tunnel, or -1 when the frame names none. */
    static int offset(byte[] frame, int len) {
        return offset(frame, len, 0, 0);
    }

    /** The walk from the Ethernet header at {@code ethernet}, inside {@code pseudowires} pseudowires. */
    private static int offset(byte[] frame, int len, int ethernet, int pseudowires) {
        int pos = ethernet + 12;
        int ethertype = u16(frame, len, pos);
        pos += 2;
        for (int tags = 0; tags < MAX_STACK && isVlanTag(ethertype); tags++) {
            ethertype = u16(frame, len, pos + 2);
            pos += 4;
        }
        int version;
        if (ethertype == StackedFrames.ETHERTYPE_MPLS || ethertype == StackedFrames.ETHERTYPE_MPLS_MULTICAST) {
            for (int labels = 0; labels < MAX_STACK && pos + 4 <= len; labels++) {
                boolean bottom = (frame[pos + 2] & 1) != 0;
                pos += 4;
                if (bottom) {
                    break;
                }
            }
            version = pos < len ? (frame[pos] & 0xF0) >> 4 : -1;
            if (version == 0 && pseudowires < MAX_STACK) {
                return offset(frame, len, pos + 4, pseudowires + 1); // a control word, then Ethernet
            }
        } else if (ethertype == StackedFrames.ETHERTYPE_PPPOE_SESSION) {
            pos += 6;
            int protocol = pos < len ? frame[pos] & 0xFF : -1;
            if ((protocol & 1) == 0) {
                protocol = u16(frame, len, pos);
                pos++;
            }
            pos++;
            version = protocol == StackedFrames.PPP_IPV4 ? 4 : protocol == StackedFrames.PPP_IPV6 ? 6 : -1;
        } else {
            version = ethertype == StackedFrames.ETHERTYPE_IPV4 ? 4 : ethertype == StackedFrames.ETHERTYPE_IPV6 ? 6 : -1;
        }
        int at = version == 4 ? pos + 9 : version == 6 ? ipv6UpperLayer(frame, len, pos) : -1;
        if (at < 0 || at >= len) {
            return -1;
        }
        int protocol = frame[at] & 0xFF;
        return protocol == IPPROTO_IPIP || protocol == IPPROTO_IPV6 || protocol == IPPROTO_GRE ? at : -1;
    }

    /** The offset of the next-header byte after the extension headers the probe walks, or -1. */
    private static int ipv6UpperLayer(byte[] frame, int len, int ip) {
        int at = ip + 6;
        int pos = ip + 40;
        for (int walked = 0; walked <= MAX_STACK && at < len; walked++) {
            int next = frame[at] & 0xFF;
            if (next != 0 && next != 43 && next != 44 && next != 60) {
                return at;
            }
            if (pos + 2 > len) {
                return -1;
            }
            at = pos;
            pos += next == 44 ? 8 : ((frame[pos + 1] & 0xFF) + 1) * 8;
        }
        return -1;
    }

    private static boolean isVlanTag(int ethertype) {
        return ethertype == StackedFrames.TPID_8021Q || ethertype == StackedFrames.TPID_8021AD
                || ethertype == StackedFrames.TPID_QINQ_OLD;
    }

    private static int u16(byte[] frame, int len, int pos) {
        return pos + 2 <= len ? (frame[pos] & 0xFF) << 8 | (frame[pos + 1] & 0xFF) : -1;
    }
}
