package dev.flat.bpf.pcap;

import dev.flat.core.match.Kind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The libpcap filter expression equivalent to the probe's rule (flat_event.h: TCP with SYN or RST,
 * every UDP datagram, ICMP/ICMPv6 echo request and reply) plus the kind, host and port settings.
 * It only has to be a superset: the frame parser applies the exact rule to whatever passes, so the
 * filter's job is to keep bulk traffic (TCP data segments) out of user space.
 *
 * <p>Limits of libpcap's language, and how they are met:
 * <ul>
 *   <li>{@code tcp[...]} and {@code icmp[...]} work on IPv4 only ("IPv6 upper-layer protocol is
 *       not supported by proto[x]"), so IPv6 reads the fixed header's next-header byte
 *       ({@code ip6[6]}) and the transport bytes at offset 40 (TCP flags at 40+13, ICMPv6 type at
 *       40) when no extension header follows;</li>
 *   <li>IPv6 packets that start an extension-header chain (hop-by-hop 0, routing 43, fragment 44,
 *       destination options 60) all pass: the parser walks the chain (RFC 8200 section 4);</li>
 *   <li>the outer VLAN tag needs no variant: the capture uses LINUX_SLL2 on the "any" device,
 *       where the kernel has already taken it off (the packet socket reports it as metadata);</li>
 *   <li>what the frame parser decodes below the link header but libpcap's IP primitives do not
 *       see into (a further VLAN tag, MPLS label stacks, PPPoE sessions) passes whole, by
 *       ethertype: libpcap has no MPLS support for LINUX_SLL2, and the parser applies the rule
 *       after walking the stack. Bulk traffic under such encapsulations reaches user space.</li>
 * </ul>
 * ICMP never passes a port setting (echo has no ports): the probe's rule and {@code --port}'s.
 */
final class PcapFilter {
    static final String TCP_SYN_OR_RST =
            "(tcp[tcpflags] & (tcp-syn|tcp-rst) != 0) or (ip6[6] = 6 and ip6[53] & 0x06 != 0)";
    static final String UDP = "udp";
    static final String ICMP_ECHO = "icmp[icmptype] = icmp-echo or icmp[icmptype] = icmp-echoreply"
            + " or (ip6[6] = 58 and (ip6[40] = 128 or ip6[40] = 129))";
    static final String IPV6_EXTENSION_CHAIN = "(ip6[6] = 0 or ip6[6] = 43 or ip6[6] = 44 or ip6[6] = 60)";
    /** 802.1Q, 802.1ad, pre-standard QinQ, MPLS unicast and multicast, PPPoE session. */
    static final String ENCAPSULATED = "(ether proto 0x8100 or ether proto 0x88a8 or ether proto 0x9100"
            + " or ether proto 0x8847 or ether proto 0x8848 or ether proto 0x8864)";

    private PcapFilter() {}

    /**
     * @param ifindex the interface (the "any" device sees them all; {@code ifindex} needs
     *                libpcap ≥ 1.10 and LINUX_SLL2)
     * @param kinds   kinds to keep; empty keeps all
     * @param hosts   16-byte addresses, IPv4-mapped for IPv4; empty keeps all
     * @param ports   ports; empty keeps all
     */
    static String expression(int ifindex, Set<Kind> kinds, List<byte[]> hosts, List<Integer> ports) {
        List<String> protocols = new ArrayList<>();
        boolean all = kinds == null || kinds.isEmpty();
        if (all || kinds.contains(Kind.TCP)) {
            protocols.add(TCP_SYN_OR_RST);
        }
        if (all || kinds.contains(Kind.UDP) || kinds.contains(Kind.DNS)) {
            protocols.add(UDP);
        }
        if (all || kinds.contains(Kind.ICMP)) {
            protocols.add(ICMP_ECHO);
        }
        protocols.add(IPV6_EXTENSION_CHAIN);
        protocols.add(ENCAPSULATED);
        StringBuilder f = new StringBuilder("ifindex ").append(ifindex)
                .append(" and (").append(String.join(" or ", protocols)).append(')');
        if (hosts != null && !hosts.isEmpty()) {
            List<String> h = new ArrayList<>();
            for (byte[] address : hosts) {
                h.add("host " + text(address));
            }
            h.add(ENCAPSULATED);
            f.append(" and (").append(String.join(" or ", h)).append(')');
        }
        if (ports != null && !ports.isEmpty()) {
            List<String> p = new ArrayList<>();
            for (int port : ports) {
                p.add("port " + port);
            }
            p.add(IPV6_EXTENSION_CHAIN);
            p.add(ENCAPSULATED);
            f.append(" and (").append(String.join(" or ", p)).append(')');
        }
        return f.toString();
    }

    /** IPv4-mapped addresses come back as dotted quads (InetAddress unmaps them). */
    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host address of " + address.length + " bytes; 16 expected", e);
        }
    }
}
