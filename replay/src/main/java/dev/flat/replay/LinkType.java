package dev.flat.replay;

/**
 * Link-layer header types the frame parser decodes, as numbered in capture files
 * (https://www.tcpdump.org/linktypes.html) and, where they differ, as libpcap's DLT_ values seen
 * live through pcap_datalink().
 */
public final class LinkType {
    private LinkType() {}

    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    /** Ethernet II / 802.3, optionally with 802.1Q / 802.1ad tags. */
    public static final int ETHERNET = 1;
    /** DLT_RAW on most systems: a bare IPv4 or IPv6 packet (old files keep the DLT value). */
    public static final int DLT_RAW = 12;
    /** DLT_RAW on OpenBSD. */
    public static final int DLT_RAW_OPENBSD = 14;
    /** LINKTYPE_RAW: a bare IPv4 or IPv6 packet, the version nibble says which. */
    public static final int RAW = 101;
    /** OpenBSD loopback: like NULL, but the address family is in network byte order. */
    public static final int LOOP = 108;
    /** Linux "cooked" capture v1 (any device): 16-byte pseudo header. */
    public static final int LINUX_SLL = 113;
    /** A bare IPv4 packet. */
    public static final int IPV4 = 228;
    /** A bare IPv6 packet. */
    public static final int IPV6 = 229;
    /** Linux "cooked" capture v2: 20-byte pseudo header with the ifindex. */
    public static final int LINUX_SLL2 = 276;
}
