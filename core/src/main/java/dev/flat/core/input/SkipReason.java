package dev.flat.core.input;

/**
 * Why a packet did not become an event. Every skipped packet is counted under exactly one reason
 * and shown in the summary: nothing is dropped silently. Labels are stable (they appear in JSON).
 */
public enum SkipReason {
    /** Parsed fine, but not a packet flat measures (TCP without SYN/RST, ICMP other than echo, ARP...). */
    NOT_RELEVANT("not_relevant"),
    /** Link type flat does not decode (also counted per link type in {@link InputStats}). */
    UNSUPPORTED_LINK_TYPE("unsupported_link_type"),
    /** Ethertype / network protocol other than IPv4 and IPv6. */
    NOT_IP("not_ip"),
    /** IP protocol other than TCP, UDP, ICMP, ICMPv6. */
    OTHER_IP_PROTOCOL("other_ip_protocol"),
    /** Link-layer or encapsulation header (VLAN tag, MPLS label, PPPoE, GRE, NFLOG TLV...) cut short. */
    TRUNCATED_LINK("truncated_link"),
    /** IPv4/IPv6 header (or an IPv6 extension header) cut short. */
    TRUNCATED_IP("truncated_ip"),
    /** TCP/UDP/ICMP header cut short. */
    TRUNCATED_TRANSPORT("truncated_transport"),
    /** Header fields that contradict each other or the frame (bad IHL, IP length, UDP length...). */
    INCONSISTENT_HEADER("inconsistent_header"),
    /** IPv4 or IPv6 fragment other than the first (also an 802.11 fragment): no transport header to read. */
    NON_FIRST_FRAGMENT("non_first_fragment"),
    /** More IPv6 extension headers than the parser walks (the same bound as the kernel's). */
    TOO_MANY_EXTENSION_HEADERS("too_many_extension_headers"),
    /** More VLAN tags, MPLS labels or nested tunnels than the parser walks (the probe's bounds:
     *  FrameParser.MAX_VLAN_TAGS, MAX_MPLS_LABELS, MAX_TUNNELS). */
    TOO_MANY_ENCAPSULATIONS("too_many_encapsulations"),
    /** Link layer or tunnel flat knows but does not decode to a packet: GRE with RFC 1701 routing
     *  or a version other than 0 and PPTP's, an 802.11 A-MSDU (several packets in one frame). */
    UNSUPPORTED_ENCAPSULATION("unsupported_encapsulation"),
    /** 802.11 management, control or extension frame, or a data frame without a body (null function). */
    NOT_DATA_FRAME("not_data_frame"),
    /** 802.11 frame with the Protected bit: its packet cannot be read without the keys. */
    ENCRYPTED("encrypted"),
    /** Event record failed validation (event logs: unknown type or version). */
    BAD_RECORD("bad_record"),
    /** Capture record without a timestamp (pcapng Simple Packet Block): no latency can be measured. */
    NO_TIMESTAMP("no_timestamp");

    private final String label;

    SkipReason(String label) { this.label = label; }

    public String label() { return label; }
}
