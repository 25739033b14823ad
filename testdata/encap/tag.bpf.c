// SPDX-License-Identifier: GPL-2.0
/*
 * Tags and labels for record-tagged.sh, on a kernel without 8021q, a VLAN-filtering bridge,
 * MPLS forwarding or the tc vlan/mpls actions: the endpoints' veths push 802.1Q tags, QinQ
 * (802.1ad outer, 802.1Q inner) or a two-label MPLS stack at tc egress and remove them on the way
 * in, so that the bridge between them forwards real tagged and labelled frames, answered by real
 * kernels and captured by tcpdump there.
 *
 *   tc/vlan, tc/qinq  egress: bpf_skb_vlan_push (the outer tag rides in skb metadata; libpcap
 *                     puts it back into the captured frame from PACKET_AUXDATA)
 *   tc/untag          ingress: the kernel has moved the outer tag into metadata
 *                     (skb_vlan_untag); bpf_skb_vlan_pop removes it and moves the next one up
 *   tc/mpls           egress: two labels (1000, 2000 with bottom of stack, TTL 64) between the
 *                     Ethernet and IP headers; frames other than IP (ARP) go unlabelled
 *   xdp/mpls_pop      ingress (generic XDP): the labels removed again. tc cannot do it:
 *                     bpf_skb_adjust_room only shrinks IPv4/IPv6 skbs, and this one is MPLS.
 *
 * Built by record-tagged.sh with clang (-target bpfel); not part of flat.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_INNER 100
#define VLAN_OUTER 200
#define MPLS_STACK 8 /* two label stack entries */

SEC("tc/vlan")
int push_vlan(struct __sk_buff *skb)
{
	bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), VLAN_INNER);
	return TC_ACT_OK;
}

SEC("tc/qinq")
int push_qinq(struct __sk_buff *skb)
{
	bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), VLAN_INNER);
	bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021AD), VLAN_OUTER); /* the first moves into the frame */
	return TC_ACT_OK;
}

SEC("tc/untag")
int pop_vlans(struct __sk_buff *skb)
{
	for (int i = 0; i < 4; i++) {
		if (!skb->vlan_present)
			break;
		bpf_skb_vlan_pop(skb);
	}
	return TC_ACT_OK;
}

SEC("tc/mpls")
int push_mpls(struct __sk_buff *skb)
{
	__be32 stack[2] = {
		bpf_htonl(1000 << 12 | 64),
		bpf_htonl(2000 << 12 | 1 << 8 | 64), /* bottom of stack */
	};
	__be16 mpls = bpf_htons(ETH_P_MPLS_UC);

	if (skb->protocol != bpf_htons(ETH_P_IP) && skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	if (bpf_skb_adjust_room(skb, MPLS_STACK, BPF_ADJ_ROOM_MAC, 0))
		return TC_ACT_OK;
	bpf_skb_store_bytes(skb, ETH_HLEN, stack, sizeof(stack), 0);
	bpf_skb_store_bytes(skb, 12, &mpls, sizeof(mpls), 0);
	return TC_ACT_OK;
}

SEC("xdp/mpls_pop")
int pop_mpls(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	unsigned char *p = data;

	if (p + ETH_HLEN + MPLS_STACK + 1 > (unsigned char *)end)
		return XDP_PASS;
	if (p[12] != 0x88 || p[13] != 0x47)
		return XDP_PASS;
	/* The Ethernet addresses move up by the stack's length; the IP version names the ethertype. */
	unsigned char version = p[ETH_HLEN + MPLS_STACK] >> 4;
	for (int i = 11; i >= 0; i--)
		p[i + MPLS_STACK] = p[i];
	p[12 + MPLS_STACK] = version == 6 ? 0x86 : 0x08;
	p[13 + MPLS_STACK] = version == 6 ? 0xdd : 0x00;
	if (bpf_xdp_adjust_head(ctx, MPLS_STACK))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
