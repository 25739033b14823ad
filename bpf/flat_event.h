/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * flat_event.h - the ONE definition of flat's event record.
 *
 * The tc probe (flat.bpf.c) emits one record per relevant packet through a BPF ring buffer;
 * the Java frame parser (replay/) builds byte-identical records from capture files; the event
 * log (docs/event-log.md) stores them verbatim. Java reads them through
 * dev.flat.core.event.EventRecord, whose offsets a test checks against this header
 * (bpf/src/test/.../EventHeaderLayoutTest).
 *
 * Byte order, stated per field: addresses and ports as on the wire (network order);
 * every other multi-byte field in host order, which flat requires to be little-endian
 * (x86-64, arm64) so that a record means the same thing in the ring, in a log and in Java.
 * Padding is written out as named reserved fields (always zero), never left to the compiler.
 *
 * Which packets become records (the kernel and Java apply the same rule):
 *   TCP segments with SYN or RST set; every UDP datagram; ICMP echo request/reply (v4 and v6).
 */
#ifndef FLAT_EVENT_H
#define FLAT_EVENT_H

#include <linux/types.h>

#define FLAT_EVENT_TYPE_PACKET 1 /* the only record type so far */
#define FLAT_EVENT_VERSION     1 /* bump on any layout change */
#define FLAT_EVENT_SIZE        80

enum flat_direction {
	FLAT_DIR_UNKNOWN = 0, /* capture without direction information */
	FLAT_DIR_INGRESS = 1, /* received by the interface */
	FLAT_DIR_EGRESS  = 2, /* sent by the interface */
};

/* Sub-second decimal digits of the timestamp source: the kernel and nanosecond captures
 * give 9, classic microsecond pcap gives 6. Reports print latencies to that precision. */
#define FLAT_TS_DIGITS_NS 9
#define FLAT_TS_DIGITS_US 6

struct flat_event {
	__u8  type;          /*  0  FLAT_EVENT_TYPE_PACKET */
	__u8  version;       /*  1  FLAT_EVENT_VERSION */
	__u8  direction;     /*  2  enum flat_direction */
	__u8  ip_version;    /*  3  4 or 6 */
	__u8  ip_proto;      /*  4  6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6 */
	__u8  ttl;           /*  5  IPv4 TTL or IPv6 hop limit */
	__u8  tcp_flags;     /*  6  TCP header byte 13 (CWR ECE URG ACK PSH RST SYN FIN); 0 if not TCP */
	__u8  icmp_type;     /*  7  ICMP/ICMPv6 type; 0 if not ICMP */
	__u8  icmp_code;     /*  8  ICMP/ICMPv6 code; 0 if not ICMP */
	__u8  ts_digits;     /*  9  FLAT_TS_DIGITS_* */
	__u16 payload_len;   /* 10  host order: UDP payload length (UDP length - 8); 0 if not UDP */
	__u32 ifindex;       /* 12  host order: kernel ifindex, or capture interface number + 1; 0 unknown */
	__u64 ts_ns;         /* 16  host order: kernel CLOCK_MONOTONIC ns in the ring; ns since the
	                      *     Unix epoch (UTC) in captures and once a log reader applied the
	                      *     header's clock offset */
	__u8  saddr[16];     /* 24  network order; IPv4 as IPv4-mapped IPv6 ::ffff:a.b.c.d */
	__u8  daddr[16];     /* 40  network order; IPv4 as IPv4-mapped IPv6 */
	__u16 sport;         /* 56  network order: TCP/UDP source port; ICMP echo identifier */
	__u16 dport;         /* 58  network order: TCP/UDP destination port; ICMP echo sequence */
	__u32 tcp_seq;       /* 60  host order: TCP sequence number; 0 if not TCP */
	__u32 tcp_ack;       /* 64  host order: TCP acknowledgement number; 0 if not TCP */
	__u8  payload[4];    /* 68  first 4 bytes of the UDP payload as on the wire (a DNS header's
	                      *     id and flags); zero-filled when shorter or not UDP */
	__u8  reserved[8];   /* 72  zero */
};

_Static_assert(sizeof(struct flat_event) == FLAT_EVENT_SIZE, "flat_event layout drifted");

/* ---- Probe interface: counters and settings (kernel <-> dev.flat.bpf) ---- */

/* Index into the per-CPU array map "counters" (__u64 values; user space sums over CPUs).
 * PACKETS - EVENTS - RING_FULL - PARSE_ERRORS - FILTERED = packets that are not relevant
 * (not IP, TCP without SYN/RST, ICMP other than echo, non-first fragments). */
enum flat_counter {
	FLAT_CNT_PACKETS = 0,      /* packets the program saw */
	FLAT_CNT_EVENTS = 1,       /* records successfully submitted to the ring */
	FLAT_CNT_RING_FULL = 2,    /* records lost: bpf_ringbuf_reserve failed */
	FLAT_CNT_PARSE_ERRORS = 3, /* truncated/inconsistent headers, more tags, labels or extension
	                            * headers than the bounds below */
	FLAT_CNT_FILTERED = 4,     /* relevant packets dropped by the kind/host/port settings */
	FLAT_CNT_MAX
};

/* flat_config.kinds bits */
#define FLAT_KIND_TCP  1u
#define FLAT_KIND_UDP  2u   /* dns is UDP: user space tells them apart */
#define FLAT_KIND_ICMP 4u

#define FLAT_MAX_HOSTS 8
#define FLAT_MAX_PORTS 8

/* flat_config.link: where packets start at the tc hook */
#define FLAT_LINK_ETHERNET 0
#define FLAT_LINK_RAW_IP   1      /* tun, WireGuard: packets start at the IP header */

/* The probe's settings: the whole .rodata section of flat.bpf.o
 * (`const volatile struct flat_config cfg;`), written by user space through
 * bpf_map__initial_value() before load. The kernel freezes .rodata at load time, so the
 * verifier sees these values as constants and prunes the branches they disable. */
struct flat_config {
	__u32 kinds;                     /*   0 host order: FLAT_KIND_* bitmask */
	__u32 link;                      /*   4 host order: FLAT_LINK_* */
	__u32 nhosts;                    /*   8 host order: used entries of hosts; 0 = no host filter */
	__u32 nports;                    /*  12 host order: used entries of ports; 0 = no port filter */
	__u8  hosts[FLAT_MAX_HOSTS][16]; /*  16 network order; IPv4 as IPv4-mapped IPv6 */
	__u16 ports[FLAT_MAX_PORTS];     /* 144 host order */
};                                   /* 160 */

#define FLAT_CONFIG_SIZE 160

/*
 * IPv6 extension headers walked before a packet is given up (skipped as
 * too_many_extension_headers / counted as a parse error). The walk knows hop-by-hop,
 * destination options, routing and fragment; a packet in the order RFC 8200 section 4.1
 * recommends has at most five of them before the upper-layer header (or AH/ESP, where the walk
 * stops), so six leaves one spare while keeping the verifier's unrolled loop small.
 * dev.flat.replay.FrameParser.MAX_EXTENSION_HEADERS is the same number (EventHeaderLayoutTest).
 */
#define FLAT_MAX_EXT_HDRS 6

/*
 * VLAN tags (0x8100 802.1Q, 0x88a8 802.1ad, 0x9100 pre-standard QinQ) walked after the Ethernet
 * header, counting a tag the kernel holds in skb metadata (flat.bpf.c, parse_ethernet). QinQ
 * uses two; eight leaves room for stacked provider networks while keeping the verifier's work
 * small. More tags: a parse error (FrameParser: too_many_encapsulations).
 * dev.flat.replay.FrameParser.MAX_VLAN_TAGS is the same number (EventHeaderLayoutTest).
 */
#define FLAT_MAX_VLAN_TAGS 8

/*
 * MPLS label stack entries (ethertypes 0x8847, 0x8848) walked looking for the bottom-of-stack
 * bit. Real stacks hold two to four (transport, service, entropy label and its indicator);
 * eight leaves room. No bottom of stack within eight: a parse error (FrameParser:
 * too_many_encapsulations). dev.flat.replay.FrameParser.MAX_MPLS_LABELS is the same number
 * (EventHeaderLayoutTest).
 */
#define FLAT_MAX_MPLS_LABELS 8

/*
 * Ethernet pseudowires with a control word (RFC 4385, RFC 4448: after the bottom label, first
 * nibble 0, a 4-byte control word, then an Ethernet frame whose tags and labels are walked again)
 * entered in one frame. Real traffic nests one, perhaps two; four bounds what a crafted frame can
 * make the walk repeat. One more: a parse error (FrameParser: too_many_encapsulations).
 * dev.flat.replay.FrameParser.MAX_TUNNELS is the same number (EventHeaderLayoutTest); FrameParser
 * also counts the IP tunnels it enters, which the probe does not enter.
 */
#define FLAT_MAX_TUNNELS 4
_Static_assert(sizeof(struct flat_config) == FLAT_CONFIG_SIZE, "flat_config layout drifted");

#endif /* FLAT_EVENT_H */
