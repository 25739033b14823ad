/*
 * Prints the layout of flat_event.h as "name value" lines for EventHeaderLayoutTest:
 * offset and size of every field of struct flat_event and struct flat_config, the structs'
 * sizes, and the constants the Java side mirrors. Built with the host's gcc, which lays
 * out these fixed-width, explicitly padded structs as clang -target bpfel does (the header's
 * _Static_asserts hold for both).
 */
#include <stddef.h>
#include <stdio.h>

#include "flat_event.h"

#define FIELD(type, prefix, field) \
	printf(prefix "." #field ".offset %zu\n" prefix "." #field ".size %zu\n", \
	       offsetof(struct type, field), sizeof(((struct type *)0)->field))
#define EVENT(field)  FIELD(flat_event, "event", field)
#define CONFIG(field) FIELD(flat_config, "config", field)
#define CONSTANT(name) printf(#name " %lld\n", (long long)(name))

int main(void)
{
	EVENT(type);
	EVENT(version);
	EVENT(direction);
	EVENT(ip_version);
	EVENT(ip_proto);
	EVENT(ttl);
	EVENT(tcp_flags);
	EVENT(icmp_type);
	EVENT(icmp_code);
	EVENT(ts_digits);
	EVENT(payload_len);
	EVENT(ifindex);
	EVENT(ts_ns);
	EVENT(saddr);
	EVENT(daddr);
	EVENT(sport);
	EVENT(dport);
	EVENT(tcp_seq);
	EVENT(tcp_ack);
	EVENT(payload);
	EVENT(reserved);
	printf("event.sizeof %zu\n", sizeof(struct flat_event));

	CONFIG(kinds);
	CONFIG(link);
	CONFIG(nhosts);
	CONFIG(nports);
	CONFIG(hosts);
	CONFIG(ports);
	printf("config.sizeof %zu\n", sizeof(struct flat_config));
	printf("config.hosts.entry_size %zu\n", sizeof(((struct flat_config *)0)->hosts[0]));

	CONSTANT(FLAT_EVENT_SIZE);
	CONSTANT(FLAT_EVENT_TYPE_PACKET);
	CONSTANT(FLAT_EVENT_VERSION);
	CONSTANT(FLAT_DIR_UNKNOWN);
	CONSTANT(FLAT_DIR_INGRESS);
	CONSTANT(FLAT_DIR_EGRESS);
	CONSTANT(FLAT_TS_DIGITS_NS);
	CONSTANT(FLAT_TS_DIGITS_US);
	CONSTANT(FLAT_CNT_PACKETS);
	CONSTANT(FLAT_CNT_EVENTS);
	CONSTANT(FLAT_CNT_RING_FULL);
	CONSTANT(FLAT_CNT_PARSE_ERRORS);
	CONSTANT(FLAT_CNT_FILTERED);
	CONSTANT(FLAT_CNT_MAX);
	CONSTANT(FLAT_KIND_TCP);
	CONSTANT(FLAT_KIND_UDP);
	CONSTANT(FLAT_KIND_ICMP);
	CONSTANT(FLAT_MAX_HOSTS);
	CONSTANT(FLAT_MAX_PORTS);
	CONSTANT(FLAT_LINK_ETHERNET);
	CONSTANT(FLAT_LINK_RAW_IP);
	CONSTANT(FLAT_CONFIG_SIZE);
	CONSTANT(FLAT_MAX_EXT_HDRS);
	CONSTANT(FLAT_MAX_VLAN_TAGS);
	CONSTANT(FLAT_MAX_MPLS_LABELS);
	CONSTANT(FLAT_MAX_TUNNELS);
	return 0;
}
