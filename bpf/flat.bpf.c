// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * flat.bpf.c - flat's tc probe: one flat_event per relevant packet into a BPF ring buffer.
 *
 * Relevant packets (the same rule as dev.flat.replay.FrameParser, see flat_event.h and
 * docs/probe.md): TCP segments with SYN or RST, every UDP datagram, ICMP/ICMPv6 echo
 * request/reply. The program only observes: it never changes, pulls or drops a packet and
 * always returns TC_ACT_UNSPEC so that the next filter (or the default action) decides.
 *
 * Headers are read by direct packet access when they are in the skb's linear area, and with
 * bpf_skb_load_bytes() when a driver or GRO left them in page fragments; never with
 * bpf_skb_pull_data(), which may reallocate or unclone the skb under everyone else's feet
 * (take() below, docs/probe.md).
 *
 * Settings arrive in .rodata (struct flat_config cfg, flat_event.h), counters go to the per-CPU
 * array "counters" (enum flat_counter), records to the ring buffer "events".
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmpv6.h>
#include <linux/mpls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "flat_event.h"

/* IPv4 fragment offset field (RFC 791 section 3.1): 13-bit offset, MF flag. */
#define IPV4_FRAG_OFFSET_MASK 0x1fff
#define IPV4_MORE_FRAGMENTS   0x2000
/* IPv6 fragment header (RFC 8200 section 4.5): offset in the upper 13 bits, M flag in bit 0. */
#define IPV6_FRAG_OFFSET_MASK 0xfff8
#define IPV6_MORE_FRAGMENTS   0x0001
/* TCP header byte 13 (RFC 9293 section 3.1). */
#define TCP_FLAGS_BYTE 13
#define TCP_FLAG_RST   0x04
#define TCP_FLAG_SYN   0x02

/* ICMP echo types, RFC 792. Not taken from linux/icmp.h: since Linux 5.13 it includes
 * linux/if.h, which pulls in glibc's sys/socket.h, which does not build for -target bpf. */
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO      8

/* Parser results other than a next-header value. */
#define PARSE_ERROR  (-1) /* truncated or self-contradictory header: FLAT_CNT_PARSE_ERRORS */
#define NOT_RELEVANT (-2) /* well formed, but not a packet flat measures: counted only as a packet */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The settings, written by user space before load (flat_event.h). The defaults make the object
 * usable as it is (bpftool prog run, tc ... bpf obj): every kind, Ethernet, no filter. */
const volatile struct flat_config cfg = {
	.kinds = FLAT_KIND_TCP | FLAT_KIND_UDP | FLAT_KIND_ICMP,
	.link = FLAT_LINK_ETHERNET,
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* default; user space resizes before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FLAT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 counter)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &counter);

	/* Plain increment: a tc program runs to completion on its CPU with bottom halves
	 * disabled, so no other update of this CPU's slot can interleave. */
	if (value)
		*value += 1;
}

/*
 * The parsing cursor. Every parse_* helper takes the cursor, copies its header to the stack with
 * take(), and returns the next header type (ethertype or IP protocol) or PARSE_ERROR /
 * NOT_RELEVANT. `end` bounds the current layer: the packet length at first, then the end of the
 * IP datagram (min(IP length, bytes present)), so that link-layer padding is never read as
 * payload.
 */
struct cursor {
	__u32 off; /* offset of the next unread byte from the start of the packet */
	__u32 end; /* offset one past the last byte of the current layer */
};

/* Largest cursor offset read through direct packet access. The verifier adds only a bounded
 * offset to a packet pointer, and tracks packet ranges below 64 KiB (MAX_PACKET_OFF); headers
 * sit far below this bound, so only crafted extension-header chains ever go past it. */
#define FLAT_MAX_DIRECT_OFF 0x8000

/*
 * Copies len (a constant) bytes at the cursor into dst and advances; false when they are not all
 * before c->end or not in the packet.
 *
 * Bytes in the skb's linear area (almost always all headers: drivers and GRO pull them there)
 * are copied by direct packet access. Bytes outside it (headers left in page fragments) are read
 * with bpf_skb_load_bytes(), which walks the fragments without modifying the skb; never with
 * bpf_skb_pull_data(), which may reallocate or unclone the skb that the stack and other
 * observers hold (docs/probe.md). The source is declared 4-byte aligned so that clang copies
 * with word loads: flat runs on x86-64 and arm64, where the verifier accepts unaligned packet
 * loads (CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) and the JITs emit plain loads.
 */
static __always_inline bool take(struct __sk_buff *skb, struct cursor *c, void *dst, __u32 len)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	if ((__u64)c->off + len > c->end)
		return false;
	if (c->off <= FLAT_MAX_DIRECT_OFF && data + c->off + len <= data_end) {
		__builtin_memcpy(dst, __builtin_assume_aligned(data + c->off, 4), len);
	} else if (bpf_skb_load_bytes(skb, c->off, dst, len) < 0) {
		return false;
	}
	c->off += len;
	return true;
}

/* The first nibble of a header that no field announces (raw IP links, the payload under an
 * MPLS label stack): 4 is IPv4, 6 is IPv6, anything else is not IP and not relevant. The IP
 * parser reads this byte again and checks the version in full. */
static __always_inline int ip_by_version(struct __sk_buff *skb, const struct cursor *c)
{
	struct cursor peek = *c;
	__u8 first;

	if (!take(skb, &peek, &first, sizeof(first)))
		return PARSE_ERROR;
	switch (first >> 4) {
	case 4:
		return ETH_P_IP;
	case 6:
		return ETH_P_IPV6;
	default:
		return NOT_RELEVANT; /* not IP: nothing flat measures */
	}
}

static __always_inline bool is_vlan_tag(__u16 proto)
{
	return proto == ETH_P_8021Q || proto == ETH_P_8021AD || proto == ETH_P_QINQ1;
}

/*
 * VLAN tags after the Ethernet header, up to FLAT_MAX_VLAN_TAGS; `proto` is the Ethernet header's
 * ethertype, and the result the ethertype after the last tag, in host order. More tags than
 * that: a parse error, as more IPv6 extension headers than FLAT_MAX_EXT_HDRS are (FrameParser:
 * too_many_encapsulations).
 *
 * A tag may have left the bytes: the kernel keeps at most one, the outermost, in skb metadata
 * (skb->vlan_present). At tc ingress every 802.1Q and 802.1ad outer tag is there already,
 * whatever the offloads: __netif_receive_skb_core() calls skb_vlan_untag() before the tc hook,
 * and NIC VLAN receive offload puts it there before that. At tc egress a VLAN device with the
 * default reorder_hdr, or bpf_skb_vlan_push(), leaves it there; validate_xmit_vlan() writes it
 * into the frame only after the tc hook, when the device lacks VLAN transmit offload. A capture
 * of the same packet (libpcap rebuilds the tag from PACKET_AUXDATA) has it in the bytes, so it
 * counts towards the bound: the probe accepts exactly the tag stacks FrameParser accepts from
 * that capture. The record has no VLAN field, so nothing else of the tag matters. Only the
 * outermost Ethernet header can have its tag there (`outermost`): the kernel knows nothing of the
 * Ethernet frame inside a pseudowire.
 */
static __always_inline int parse_vlan_tags(struct __sk_buff *skb, struct cursor *c, __u16 proto,
					   bool outermost)
{
	__u32 in_bytes = outermost && skb->vlan_present ? FLAT_MAX_VLAN_TAGS - 1 : FLAT_MAX_VLAN_TAGS;

	for (__u32 i = 0; i < FLAT_MAX_VLAN_TAGS && i < in_bytes; i++) {
		/* A tag is TCI (2 bytes) + the encapsulated ethertype (2 bytes), IEEE 802.1Q 9.5. */
		__be16 tag[2];

		if (!is_vlan_tag(proto))
			break;
		if (!take(skb, c, tag, sizeof(tag)))
			return PARSE_ERROR;
		proto = bpf_ntohs(tag[1]);
	}
	return is_vlan_tag(proto) ? PARSE_ERROR : proto;
}

/*
 * The PW MPLS control word (RFC 4385 section 3): first nibble 0, flags, fragmentation, length,
 * sequence number. After the bottom label it starts an Ethernet pseudowire (RFC 4448 section 4.4),
 * whose Ethernet frame (no preamble, no FCS) follows it.
 */
#define PW_CONTROL_WORD_LEN 4

/*
 * An MPLS label stack (RFC 3032; ethertypes 0x8847 unicast, 0x8848 multicast) down to the entry
 * with the bottom-of-stack bit, at most FLAT_MAX_MPLS_LABELS entries. MPLS names no payload
 * protocol, so the first nibble after the stack decides, as in FrameParser and Wireshark: 4 and 6
 * are IP (ip_by_version); 0 is a control word, and the result ETH_P_TEB (an Ethernet frame) with
 * the cursor on it tells flat_walk_stacks() to walk the pseudowire's Ethernet header next. 1 (the
 * associated channel, RFC 5586) and the rest are not IP (not relevant; FrameParser: not_ip). An
 * Ethernet pseudowire without a control word is not recognised: it starts with a MAC address,
 * whose first nibble may be anything. No bottom of stack within the bound: a parse error
 * (FrameParser: too_many_encapsulations).
 */
static __always_inline int parse_mpls(struct __sk_buff *skb, struct cursor *c)
{
	for (__u32 i = 0; i < FLAT_MAX_MPLS_LABELS; i++) {
		struct mpls_label lse;
		struct cursor peek;
		__u8 first;

		if (!take(skb, c, &lse, sizeof(lse)))
			return PARSE_ERROR;
		if (!(bpf_ntohl(lse.entry) & MPLS_LS_S_MASK))
			continue;
		peek = *c;
		if (!take(skb, &peek, &first, sizeof(first)))
			return PARSE_ERROR;
		return first >> 4 == 0 ? ETH_P_TEB : ip_by_version(skb, c);
	}
	return PARSE_ERROR;
}

static __always_inline bool is_mpls(__u16 proto)
{
	return proto == ETH_P_MPLS_UC || proto == ETH_P_MPLS_MC;
}

/* PPPoE session header (RFC 2516 section 5): version and type (4 bits each, both 1), code (0 in
 * a session packet), session id, payload length; then PPP's protocol field. */
#define PPPOE_VERSION_TYPE 0x11
#define PPPOE_HEADER_LEN   6
#define PPP_PROTO_IPV4     0x0021 /* RFC 1332 */
#define PPP_PROTO_IPV6     0x0057 /* RFC 5072 */

/*
 * A PPPoE session packet (ethertype 0x8864, after any VLAN tags), as FrameParser decodes it: a
 * version/type other than 0x11 or a code other than 0 is a parse error (FrameParser:
 * inconsistent_header); then the PPP protocol field (RFC 1661 section 2), one byte when
 * protocol-field compression left it odd, else two. IPv4 and IPv6 go on, anything else (LCP,
 * IPCP...) is not relevant. Discovery packets (0x8863) never get here.
 */
static __always_inline int parse_pppoe(struct __sk_buff *skb, struct cursor *c)
{
	__u8 header[PPPOE_HEADER_LEN];
	__u8 first, second;
	__u16 protocol;

	if (!take(skb, c, header, sizeof(header)))
		return PARSE_ERROR;
	if (header[0] != PPPOE_VERSION_TYPE || header[1] != 0)
		return PARSE_ERROR;
	if (!take(skb, c, &first, sizeof(first)))
		return PARSE_ERROR;
	protocol = first;
	if (!(first & 1)) {
		if (!take(skb, c, &second, sizeof(second)))
			return PARSE_ERROR;
		protocol = first << 8 | second;
	}
	switch (protocol) {
	case PPP_PROTO_IPV4:
		return ETH_P_IP;
	case PPP_PROTO_IPV6:
		return ETH_P_IPV6;
	default:
		return NOT_RELEVANT;
	}
}

/* An ethertype that flat_walk_stacks() walks: a VLAN tag, MPLS, a PPPoE session. */
static __always_inline bool starts_stack(__u16 proto)
{
	return is_vlan_tag(proto) || is_mpls(proto) || proto == ETH_P_PPP_SES;
}

/* The result of flat_walk_stacks() (and of flat_walk_segment()): an offset and an ethertype. The
 * offset is at most an Ethernet header and every tag, label, control word and inner Ethernet
 * header the walks accept; the mask states that bound to the verifier, which knows nothing of a
 * global function's result. */
#define STACKS_OFFSET_SHIFT 16
#define STACKS_OFFSET_MASK  0x1ff
#define STACKS_PROTO_MASK   0xffff
#define STACK_SEGMENT_LEN   (4 * (FLAT_MAX_VLAN_TAGS + FLAT_MAX_MPLS_LABELS))
_Static_assert(ETH_HLEN + (FLAT_MAX_TUNNELS + 1) * STACK_SEGMENT_LEN +
			       FLAT_MAX_TUNNELS * (PW_CONTROL_WORD_LEN + ETH_HLEN) + PPPOE_HEADER_LEN + 2 <=
		       STACKS_OFFSET_MASK,
	       "the IP header offset must fit STACKS_OFFSET_MASK");

/*
 * One Ethernet header's stacks, from its ethertype (`ethertype`, at `off` the byte after it):
 * VLAN tags, then an MPLS label stack or a PPPoE session header. The result, packed as
 * flat_walk_stacks() packs its own, is the IP header's offset with ETH_P_IP or ETH_P_IPV6, or the
 * offset of a pseudowire's control word with ETH_P_TEB; else PARSE_ERROR or NOT_RELEVANT.
 * `outermost`: the frame's own Ethernet header, whose first tag may be in skb metadata
 * (parse_vlan_tags).
 *
 * A global function of its own, for the reason flat_walk_stacks() is one: the verifier checks it
 * once, with `off` an unknown value, instead of once for each of the dozens of constant offsets
 * at which the walk of the Ethernet header before a pseudowire can end.
 */
__attribute__((noinline)) int flat_walk_segment(struct __sk_buff *skb, __u32 off, __u32 ethertype,
						 __u32 outermost)
{
	struct cursor c = { .off = off & STACKS_OFFSET_MASK, .end = skb->len };
	int proto = parse_vlan_tags(skb, &c, ethertype, outermost);

	if (is_mpls(proto))
		proto = parse_mpls(skb, &c);
	else if (proto == ETH_P_PPP_SES)
		proto = parse_pppoe(skb, &c);
	if (proto < 0)
		return proto;
	if (proto != ETH_P_IP && proto != ETH_P_IPV6 && proto != ETH_P_TEB)
		return NOT_RELEVANT; /* ARP, LLDP... under tags; ETH_P_TEB only ever from parse_mpls() */
	return c.off << STACKS_OFFSET_SHIFT | proto;
}

/*
 * VLAN tags and then an MPLS label stack or a PPPoE session header, from the ethertype of the
 * Ethernet header (`ethertype`, one that starts_stack()) to the IP header, through up to
 * FLAT_MAX_TUNNELS Ethernet pseudowires, each a control word and an Ethernet header whose
 * stacks are walked again (FrameParser counts them towards MAX_TUNNELS, the same number). A
 * pseudowire past the bound is a parse error (FrameParser: too_many_encapsulations).
 *
 * A global function, which the verifier checks once on its own (function-by-function
 * verification, Linux 5.6) instead of at every call: the caller sees only a scalar it knows
 * nothing about. That is the point. Inlined, the walks over up to 8 tags and 8 labels hand the
 * IP parser dozens of distinct constant offsets (and a pair of states per take(): direct or
 * helper read), and the verifier explores the whole IP and transport parse for each, because a
 * packet offset used in pointer arithmetic must be tracked exactly: 283 000 instructions
 * processed instead of 32 000 (docs/probe.md, "Verifier cost"). Behind the call the offset is
 * one unknown value, and the rest is checked once more per IP version. A global function may
 * take the context and scalars but (before Linux 5.12) no pointer to the stack, so the result
 * comes packed in the return value: the IP header's offset << STACKS_OFFSET_SHIFT | ETH_P_IP or
 * ETH_P_IPV6, else PARSE_ERROR or NOT_RELEVANT.
 */
__attribute__((noinline)) int flat_walk_stacks(struct __sk_buff *skb, __u32 ethertype)
{
	__u32 off = ETH_HLEN;
	int proto = ethertype;

	for (__u32 tunnels = 0; tunnels <= FLAT_MAX_TUNNELS; tunnels++) {
		struct cursor c = { .end = skb->len };
		struct ethhdr eth;
		int segment = flat_walk_segment(skb, off, proto, tunnels == 0);

		if (segment < 0)
			return segment;
		off = ((__u32)segment >> STACKS_OFFSET_SHIFT) & STACKS_OFFSET_MASK;
		proto = segment & STACKS_PROTO_MASK;
		if (proto != ETH_P_TEB)
			break;
		if (tunnels == FLAT_MAX_TUNNELS)
			return PARSE_ERROR; /* one pseudowire too many */
		c.off = off + PW_CONTROL_WORD_LEN;
		if (!take(skb, &c, &eth, sizeof(eth)))
			return PARSE_ERROR;
		off = c.off;
		proto = bpf_ntohs(eth.h_proto);
		if (proto == ETH_P_IP || proto == ETH_P_IPV6)
			break;
		if (!starts_stack(proto))
			return NOT_RELEVANT; /* ARP, LLDP... in the pseudowire */
	}
	return off << STACKS_OFFSET_SHIFT | proto;
}

/*
 * The link layer up to the IP header: ETH_P_IP or ETH_P_IPV6 with the cursor on the IP header,
 * else PARSE_ERROR or NOT_RELEVANT. Untagged Ethernet, nearly every packet on most links, stays
 * inline: the call to flat_walk_stacks() costs 8-17 ns per packet (docs/probe.md).
 */
static __always_inline int parse_link(struct __sk_buff *skb, struct cursor *c)
{
	struct ethhdr eth;
	__u16 proto;
	int stacks;

	/* Raw IP links (tun, WireGuard) have no link header: the version nibble decides. */
	if (cfg.link == FLAT_LINK_RAW_IP)
		return ip_by_version(skb, c);
	if (!take(skb, c, &eth, sizeof(eth)))
		return PARSE_ERROR;
	proto = bpf_ntohs(eth.h_proto);
	if (proto == ETH_P_IP || proto == ETH_P_IPV6)
		return proto;
	if (!starts_stack(proto))
		return NOT_RELEVANT; /* ARP, LLDP, PPPoE discovery... */
	stacks = flat_walk_stacks(skb, proto);
	if (stacks < 0)
		return stacks;
	c->off = ((__u32)stacks >> STACKS_OFFSET_SHIFT) & STACKS_OFFSET_MASK;
	return stacks & STACKS_PROTO_MASK;
}

/* What the transport parsers need to know about the IP datagram around them. */
struct datagram {
	__u32 end;       /* offset where the IP header says the datagram ends; may lie beyond the
			  * packet (cut short) or before its end (link-layer padding) */
	bool fragmented; /* first fragment of a larger datagram (more-fragments set) */
};

/* Sets dg->end from the length the IP header claims for the datagram starting at `start`, and
 * narrows the cursor to min(claimed end, bytes present). A claimed length of 0 means "not
 * stated": segmentation-offload packets (IPv4 BIG TCP since Linux 6.3, which the kernel itself
 * reads back with skb_ip_totlen()) and IPv6 jumbograms (RFC 2675) are as long as the packet.
 * dev.flat.replay.FrameParser applies the same rule. */
static __always_inline void bound_datagram(struct cursor *c, struct datagram *dg, __u32 start,
					   __u32 claimed)
{
	dg->end = claimed ? start + claimed : c->end;
	if (dg->end < c->end)
		c->end = dg->end;
}

static __always_inline void set_v4_mapped(__u8 *dst, __be32 addr)
{
	/* ::ffff:a.b.c.d, RFC 4291 section 2.5.5.2 */
	*(__u64 *)dst = 0;
	*(__u32 *)(dst + 8) = bpf_htonl(0x0000ffff);
	*(__be32 *)(dst + 12) = addr;
}

/* IPv4 (RFC 791): fills version, ttl and addresses, bounds the datagram, returns the
 * protocol. */
static __always_inline int parse_ipv4(struct __sk_buff *skb, struct cursor *c,
				      struct flat_event *ev, struct datagram *dg)
{
	struct iphdr ip;
	__u32 start = c->off;
	__u32 hdr_len, tot_len, frag;

	if (!take(skb, c, &ip, sizeof(ip)))
		return PARSE_ERROR;
	hdr_len = ip.ihl * 4;
	tot_len = bpf_ntohs(ip.tot_len);
	if (ip.version != 4 || ip.ihl < 5 || (tot_len != 0 && tot_len < hdr_len))
		return PARSE_ERROR;
	bound_datagram(c, dg, start, tot_len);
	if ((__u64)start + hdr_len > c->end)
		return PARSE_ERROR;
	c->off = start + hdr_len; /* skip options */

	frag = bpf_ntohs(ip.frag_off);
	if (frag & IPV4_FRAG_OFFSET_MASK)
		return NOT_RELEVANT; /* no transport header in a non-first fragment */
	dg->fragmented = frag & IPV4_MORE_FRAGMENTS;

	ev->ip_version = 4;
	ev->ttl = ip.ttl;
	set_v4_mapped(ev->saddr, ip.saddr);
	set_v4_mapped(ev->daddr, ip.daddr);
	return ip.protocol;
}

/* IPv6 (RFC 8200) with a bounded extension-header walk; returns the upper-layer protocol. */
static __always_inline int parse_ipv6(struct __sk_buff *skb, struct cursor *c,
				      struct flat_event *ev, struct datagram *dg)
{
	struct ipv6hdr ip6;
	__u32 start = c->off;
	__u8 next;

	if (!take(skb, c, &ip6, sizeof(ip6)))
		return PARSE_ERROR;
	if (ip6.version != 6)
		return PARSE_ERROR;
	bound_datagram(c, dg, start, ip6.payload_len ? sizeof(ip6) + bpf_ntohs(ip6.payload_len) : 0);

	ev->ip_version = 6;
	ev->ttl = ip6.hop_limit;
	__builtin_memcpy(ev->saddr, &ip6.saddr, sizeof(ev->saddr));
	__builtin_memcpy(ev->daddr, &ip6.daddr, sizeof(ev->daddr));

	next = ip6.nexthdr;
#pragma unroll
	for (int i = 0; i < FLAT_MAX_EXT_HDRS; i++) {
		switch (next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS: {
			/* Next header, length in 8-octet units not counting the first 8. */
			__u8 ext[2];
			__u32 ext_start = c->off;

			if (!take(skb, c, ext, sizeof(ext)))
				return PARSE_ERROR;
			next = ext[0];
			c->off = ext_start + (ext[1] + 1) * 8;
			break;
		}
		case IPPROTO_FRAGMENT: {
			struct frag_hdr {
				__u8 nexthdr;
				__u8 reserved;
				__be16 frag_off;
				__be32 identification;
			} fh;
			__u16 frag;

			if (!take(skb, c, &fh, sizeof(fh)))
				return PARSE_ERROR;
			frag = bpf_ntohs(fh.frag_off);
			if (frag & IPV6_FRAG_OFFSET_MASK)
				return NOT_RELEVANT;
			dg->fragmented = frag & IPV6_MORE_FRAGMENTS;
			next = fh.nexthdr;
			break;
		}
		default:
			return next;
		}
	}
	switch (next) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
	case IPPROTO_FRAGMENT:
		return PARSE_ERROR; /* more than FLAT_MAX_EXT_HDRS extension headers */
	default:
		return next;
	}
}

/* TCP (RFC 9293): SYN and RST segments only. */
static __always_inline int parse_tcp(struct __sk_buff *skb, struct cursor *c, struct flat_event *ev)
{
	struct tcphdr tcp;
	__u8 flags;

	if (!take(skb, c, &tcp, sizeof(tcp)))
		return PARSE_ERROR;
	if (tcp.doff < 5)
		return PARSE_ERROR;
	flags = ((const __u8 *)&tcp)[TCP_FLAGS_BYTE]; /* CWR ECE URG ACK PSH RST SYN FIN */
	if (!(flags & (TCP_FLAG_SYN | TCP_FLAG_RST)))
		return NOT_RELEVANT;

	ev->tcp_flags = flags;
	ev->sport = tcp.source;
	ev->dport = tcp.dest;
	ev->tcp_seq = bpf_ntohl(tcp.seq);
	ev->tcp_ack = bpf_ntohl(tcp.ack_seq);
	return 0;
}

/* Copies the first min(4, n) bytes at the cursor into ev->payload; the rest stays zero.
 * take() needs a constant length (bpf_skb_load_bytes wants one the verifier can bound, and
 * clang folds a switch over constant lengths back into one variable length), so a payload
 * shorter than 4 bytes goes byte by byte. */
static __always_inline bool take_payload(struct __sk_buff *skb, struct cursor *c,
					 struct flat_event *ev, __u32 n)
{
	if (n >= sizeof(ev->payload))
		return take(skb, c, ev->payload, sizeof(ev->payload));
	if (n > 0 && !take(skb, c, &ev->payload[0], 1))
		return false;
	if (n > 1 && !take(skb, c, &ev->payload[1], 1))
		return false;
	if (n > 2 && !take(skb, c, &ev->payload[2], 1))
		return false;
	return true;
}

/* UDP (RFC 768): every datagram. The UDP length must cover the header and fit in the IP
 * datagram the header claims, except in the first fragment of a fragmented datagram, where it
 * describes the whole reassembled datagram (large DNS answers over EDNS0 arrive like that). */
static __always_inline int parse_udp(struct __sk_buff *skb, struct cursor *c,
				     struct flat_event *ev, const struct datagram *dg)
{
	struct udphdr udp;
	__u32 start = c->off;
	__u32 udp_len, payload_len, present;

	if (!take(skb, c, &udp, sizeof(udp)))
		return PARSE_ERROR;
	udp_len = bpf_ntohs(udp.len);
	if (udp_len < sizeof(udp) || (!dg->fragmented && (__u64)start + udp_len > dg->end))
		return PARSE_ERROR;
	payload_len = udp_len - sizeof(udp);
	present = c->end - c->off;
	if (present > payload_len)
		present = payload_len;

	ev->payload_len = payload_len;
	ev->sport = udp.source;
	ev->dport = udp.dest;
	if (!take_payload(skb, c, ev, present))
		return PARSE_ERROR;
	return 0;
}

/* ICMP echo (RFC 792) over IPv4 and ICMPv6 echo (RFC 4443 section 4) over IPv6: identifier
 * -> sport, sequence -> dport, both as on the wire. */
static __always_inline int parse_icmp_echo(struct __sk_buff *skb, struct cursor *c,
					   struct flat_event *ev)
{
	struct {
		__u8 type;
		__u8 code;
		__be16 checksum;
		__be16 id;
		__be16 sequence;
	} echo;

	if (!take(skb, c, &echo, sizeof(echo)))
		return PARSE_ERROR;
	if (ev->ip_version == 4) {
		if (echo.type != ICMP_ECHO && echo.type != ICMP_ECHOREPLY)
			return NOT_RELEVANT;
	} else if (echo.type != ICMPV6_ECHO_REQUEST && echo.type != ICMPV6_ECHO_REPLY) {
		return NOT_RELEVANT;
	}

	ev->icmp_type = echo.type;
	ev->icmp_code = echo.code;
	ev->sport = echo.id;
	ev->dport = echo.sequence;
	return 0;
}

/* Fills ev from the packet: 0 when ev holds an event, else PARSE_ERROR or NOT_RELEVANT. */
static __always_inline int parse_packet(struct __sk_buff *skb, struct flat_event *ev)
{
	struct cursor c = { .off = 0, .end = skb->len };
	struct datagram dg = { .end = 0, .fragmented = false };
	int proto = parse_link(skb, &c);

	switch (proto) {
	case ETH_P_IP:
		proto = parse_ipv4(skb, &c, ev, &dg);
		break;
	case ETH_P_IPV6:
		proto = parse_ipv6(skb, &c, ev, &dg);
		break;
	default:
		return proto; /* PARSE_ERROR or NOT_RELEVANT */
	}
	if (proto < 0)
		return proto;

	ev->ip_proto = proto;
	switch (proto) {
	case IPPROTO_TCP:
		return parse_tcp(skb, &c, ev);
	case IPPROTO_UDP:
		return parse_udp(skb, &c, ev, &dg);
	case IPPROTO_ICMP:
		/* The ICMP flavour must match the IP version; ICMPv4 over IPv6 is not an echo. */
		return ev->ip_version == 4 ? parse_icmp_echo(skb, &c, ev) : NOT_RELEVANT;
	case IPPROTO_ICMPV6:
		return ev->ip_version == 6 ? parse_icmp_echo(skb, &c, ev) : NOT_RELEVANT;
	default:
		return NOT_RELEVANT;
	}
}

static __always_inline bool kind_wanted(__u8 ip_proto)
{
	switch (ip_proto) {
	case IPPROTO_TCP:
		return cfg.kinds & FLAT_KIND_TCP;
	case IPPROTO_UDP:
		return cfg.kinds & FLAT_KIND_UDP;
	default:
		return cfg.kinds & FLAT_KIND_ICMP;
	}
}

static __always_inline bool same_addr(const __u8 *a, const volatile __u8 *b)
{
	return *(const __u64 *)a == *(const volatile __u64 *)b &&
	       *(const __u64 *)(a + 8) == *(const volatile __u64 *)(b + 8);
}

/* Either address is one of cfg.hosts (or there is no host filter). */
static __always_inline bool host_wanted(const struct flat_event *ev)
{
	if (cfg.nhosts == 0)
		return true;
#pragma unroll
	for (int i = 0; i < FLAT_MAX_HOSTS; i++) {
		if (i >= cfg.nhosts)
			break;
		if (same_addr(ev->saddr, cfg.hosts[i]) || same_addr(ev->daddr, cfg.hosts[i]))
			return true;
	}
	return false;
}

/* Either port is one of cfg.ports (or there is no port filter). ICMP echo has no ports (its
 * sport/dport hold identifier and sequence), so it never passes a port filter: the same rule as
 * user space's --port (dev.flat.core.filter.EventFilter), so that what the kernel counts as
 * filtered is exactly what the report would have filtered. */
static __always_inline bool port_wanted(const struct flat_event *ev)
{
	__u16 sport, dport;

	if (cfg.nports == 0)
		return true;
	if (ev->ip_proto != IPPROTO_TCP && ev->ip_proto != IPPROTO_UDP)
		return false;
	sport = bpf_ntohs(ev->sport);
	dport = bpf_ntohs(ev->dport);
#pragma unroll
	for (int i = 0; i < FLAT_MAX_PORTS; i++) {
		if (i >= cfg.nports)
			break;
		if (sport == cfg.ports[i] || dport == cfg.ports[i])
			return true;
	}
	return false;
}


/* Wake the reader only once this share of the ring holds unread records. A wakeup per record
 * (the default flags) costs microseconds per event on a virtual machine, far more than parsing,
 * because the reader drains faster than events arrive and so is woken for every one. Delaying
 * delivery changes no measurement: timestamps are taken here, and the reader also drains on its
 * own poll timeout (100 ms), so a quiet ring is never left unread for long. The share leaves
 * 7/8 of the ring as headroom while the woken reader catches up (docs/performance.md, "Live
 * probe"). */
#define FLAT_WAKEUP_SHARE 8

static __always_inline __u64 submit_flags(void)
{
	__u64 unread = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);

	return unread >= size / FLAT_WAKEUP_SHARE ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline int observe(struct __sk_buff *skb, enum flat_direction direction)
{
	struct flat_event ev;
	struct flat_event *slot;
	int verdict;

	__builtin_memset(&ev, 0, sizeof(ev));
	count(FLAT_CNT_PACKETS);

	verdict = parse_packet(skb, &ev);
	if (verdict == PARSE_ERROR) {
		count(FLAT_CNT_PARSE_ERRORS);
		return TC_ACT_UNSPEC;
	}
	if (verdict != 0)
		return TC_ACT_UNSPEC;
	if (!kind_wanted(ev.ip_proto) || !host_wanted(&ev) || !port_wanted(&ev)) {
		count(FLAT_CNT_FILTERED);
		return TC_ACT_UNSPEC;
	}

	ev.type = FLAT_EVENT_TYPE_PACKET;
	ev.version = FLAT_EVENT_VERSION;
	ev.direction = direction;
	ev.ts_digits = FLAT_TS_DIGITS_NS;
	ev.ifindex = skb->ifindex;
	/* Read the clock only for packets that become events (most packets do not); the parse
	 * before it takes tens of nanoseconds, far below the latencies flat measures. */
	ev.ts_ns = bpf_ktime_get_ns();

	slot = bpf_ringbuf_reserve(&events, sizeof(*slot), 0);
	if (!slot) {
		count(FLAT_CNT_RING_FULL);
		return TC_ACT_UNSPEC;
	}
	__builtin_memcpy(slot, &ev, sizeof(ev));
	bpf_ringbuf_submit(slot, submit_flags());
	count(FLAT_CNT_EVENTS);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int flat_ingress(struct __sk_buff *skb)
{
	return observe(skb, FLAT_DIR_INGRESS);
}

SEC("tc")
int flat_egress(struct __sk_buff *skb)
{
	return observe(skb, FLAT_DIR_EGRESS);
}
