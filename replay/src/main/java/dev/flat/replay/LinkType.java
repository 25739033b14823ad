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
    /** PPP: RFC 1662's FF 03 address and control bytes when not compressed away, then the protocol. */
    public static final int PPP = 9;
    /** DLT_RAW on most systems: a bare IPv4 or IPv6 packet (old files keep the DLT value). */
    public static final int DLT_RAW = 12;
    /** DLT_RAW on OpenBSD. */
    public static final int DLT_RAW_OPENBSD = 14;
    /** PPP in HDLC-like framing (RFC 1662), or Cisco HDLC (first byte 0x0F or 0x8F). */
    public static final int PPP_HDLC = 50;
    /** A PPPoE session header (RFC 2516) without the Ethernet header, then PPP. */
    public static final int PPP_ETHER = 51;
    /** LINKTYPE_RAW: a bare IPv4 or IPv6 packet, the version nibble says which. */
    public static final int RAW = 101;
    /** Cisco HDLC: address, control, then an ethertype. */
    public static final int C_HDLC = 104;
    /** IEEE 802.11 frames as sent over the air, without a radio header. */
    public static final int IEEE802_11 = 105;
    /** OpenBSD loopback: like NULL, but the address family is in network byte order. */
    public static final int LOOP = 108;
    /** Linux "cooked" capture v1 (any device): 16-byte pseudo header. */
    public static final int LINUX_SLL = 113;
    /** IEEE 802.11 after a radiotap header (its length little-endian in bytes 2-3). */
    public static final int IEEE802_11_RADIOTAP = 127;
    /** PPP after one direction byte: 0 received, 1 sent by the capturing host. */
    public static final int PPP_WITH_DIR = 204;
    /** Cisco HDLC after one direction byte, as {@link #PPP_WITH_DIR}. */
    public static final int C_HDLC_WITH_DIR = 205;
    /** A bare IPv4 packet. */
    public static final int IPV4 = 228;
    /** A bare IPv6 packet. */
    public static final int IPV6 = 229;
    /** Linux netfilter log (nfnetlink_log): a 4-byte header, then TLVs up to the packet. */
    public static final int NFLOG = 239;
    /** Linux "cooked" capture v2: 20-byte pseudo header with the ifindex. */
    public static final int LINUX_SLL2 = 276;
}
