// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * vlan_push.bpf.c - test helper for EbpfVlanMplsNetnsTest: pushes an 802.1Q tag (VLAN 42) onto
 * every packet of the hook it is attached to, the way a VLAN device with the default reorder_hdr
 * transmits: into skb metadata (skb_vlan_push() moves a tag already there into the frame first).
 * Installed as a classic tc filter before flat's, it shows the probe a metadata tag on a kernel
 * without the 8021q module or act_vlan.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define PUSHED_VLAN_ID 42 /* EbpfVlanMplsNetnsTest.withOuterTag writes the same TCI */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tc")
int push_vlan(struct __sk_buff *skb)
{
	bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), PUSHED_VLAN_ID);
	return TC_ACT_UNSPEC;
}
