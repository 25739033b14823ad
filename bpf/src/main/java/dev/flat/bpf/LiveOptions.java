package dev.flat.bpf;

import dev.flat.core.match.Kind;
import java.util.List;
import java.util.Set;

/**
 * Settings of a live capture, applied at the source (in the kernel for eBPF, as a BPF filter
 * for libpcap) so that uninteresting packets never reach user space.
 *
 * @param iface     interface name
 * @param backend   which source
 * @param attach    attach mode for the eBPF probe
 * @param ringBytes BPF ring buffer size in bytes (a power of two, at least one page)
 * @param kinds     kinds to capture (dns needs udp at the source)
 * @param hosts     16-byte network-order addresses (IPv4-mapped for IPv4); empty = all
 * @param ports     ports; empty = all
 */
public record LiveOptions(String iface, Backend backend, AttachMode attach, int ringBytes,
                          Set<Kind> kinds, List<byte[]> hosts, List<Integer> ports) {
    public static final int DEFAULT_RING_BYTES = 8 << 20;
}
