package dev.flat.bpf;

import dev.flat.replay.LinkType;

/**
 * Rewrites a captured frame of another link type as the Ethernet frame the probe would see on an
 * Ethernet device: zero MAC addresses, the network protocol as EtherType, then the network-layer
 * bytes unchanged. Used only to feed BPF_PROG_TEST_RUN, which always builds an Ethernet skb.
 */
final class EthernetFrames {
    private static final int ETH_HEADER = 14;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86DD;

    /** BPF_PROG_TEST_RUN refuses tc input shorter than an Ethernet header (ETH_HLEN). */
    static final int MIN_TEST_RUN_FRAME = ETH_HEADER;

    private EthernetFrames() {
    }

    static boolean isRawIp(int linkType) {
        return linkType == LinkType.DLT_RAW || linkType == LinkType.DLT_RAW_OPENBSD || linkType == LinkType.RAW
                || linkType == LinkType.IPV4 || linkType == LinkType.IPV6;
    }

    /**
     * Rewrites the first capLen bytes of the frame into {@code out}.
     *
     * @return the length written, or -1 when the frame has no recognisable network layer or does not fit
     */
    static int toEthernet(int linkType, byte[] frame, int capLen, byte[] out) {
        if (linkType == LinkType.ETHERNET) {
            return copy(frame, 0, capLen, out, -1);
        }
        int start;
        int etherType;
        switch (linkType) {
            case LinkType.NULL, LinkType.LOOP -> {
                if (capLen < 4) {
                    return -1;
                }
                // BSD loopback: a 4-byte address family, in the capturing host's byte order for
                // NULL, network order for LOOP. AF_INET is 2 everywhere, AF_INET6 24, 28 or 30.
                int le = (frame[0] & 0xFF) | (frame[1] & 0xFF) << 8 | (frame[2] & 0xFF) << 16 | (frame[3] & 0xFF) << 24;
                int family = Integer.compareUnsigned(le, 0xFFFF) <= 0 ? le : Integer.reverseBytes(le);
                start = 4;
                etherType = family == 2 ? ETH_P_IP : family == 24 || family == 28 || family == 30 ? ETH_P_IPV6 : 0;
            }
            case LinkType.DLT_RAW, LinkType.DLT_RAW_OPENBSD, LinkType.RAW, LinkType.IPV4, LinkType.IPV6 -> { // isRawIp
                if (capLen < 1) {
                    return -1;
                }
                start = 0;
                int version = (frame[0] & 0xFF) >> 4;
                etherType = version == 4 ? ETH_P_IP : version == 6 ? ETH_P_IPV6 : 0;
            }
            case LinkType.LINUX_SLL -> {
                if (capLen < 16) {
                    return -1;
                }
                start = 16;
                etherType = (frame[14] & 0xFF) << 8 | (frame[15] & 0xFF);
            }
            case LinkType.LINUX_SLL2 -> {
                if (capLen < 20) {
                    return -1;
                }
                start = 20;
                etherType = (frame[0] & 0xFF) << 8 | (frame[1] & 0xFF);
            }
            default -> {
                return -1;
            }
        }
        return copy(frame, start, capLen - start, out, etherType);
    }

    private static int copy(byte[] frame, int start, int length, byte[] out, int etherType) {
        int header = etherType < 0 ? 0 : ETH_HEADER;
        if (header + length > out.length) {
            return -1;
        }
        if (etherType >= 0) {
            java.util.Arrays.fill(out, 0, 12, (byte) 0);
            out[12] = (byte) (etherType >> 8);
            out[13] = (byte) etherType;
        }
        System.arraycopy(frame, start, out, header, length);
        return header + length;
    }
}
