package dev.flat.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A network interface as sysfs describes it: name, ifindex and ARPHRD link type, which decides
 * where the probe finds the IP header (FlatConfig link).
 */
record NetInterface(String name, int ifindex, int arphrdType) {
    /** if_arp.h ARPHRD_* values that matter for where a tc program sees the IP header. */
    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_RAWIP = 519;
    static final int ARPHRD_TUNNEL = 768;
    static final int ARPHRD_TUNNEL6 = 769;
    static final int ARPHRD_LOOPBACK = 772;
    static final int ARPHRD_SIT = 776;
    static final int ARPHRD_NONE = 65534;

    /** IFNAMSIZ − 1 (linux/if.h). */
    private static final int MAX_NAME_LENGTH = 15;
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    static NetInterface lookup(String name) throws LiveCaptureException {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw unknown(name);
        }
        Path dir = SYS_CLASS_NET.resolve(name);
        try {
            int ifindex = Integer.parseInt(Files.readString(dir.resolve("ifindex")).trim());
            int type = Integer.parseInt(Files.readString(dir.resolve("type")).trim());
            return new NetInterface(name, ifindex, type);
        } catch (NoSuchFileException e) {
            throw unknown(name);
        } catch (IOException | NumberFormatException e) {
            throw new LiveCaptureException("read " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the probe watches only this interface's egress. On loopback every packet leaves
     * through the device's egress hook and comes back in through its ingress hook, so watching
     * both would report each request twice (the second copy looking like a retransmit, and
     * the latency measured from it) and each response twice (the second unmatched). Egress sees
     * every packet exactly once, as tcpdump on lo does.
     */
    boolean egressOnly() {
        return arphrdType == ARPHRD_LOOPBACK;
    }

    /**
     * FlatConfig.LINK_* for this interface. At the tc hook skb->data points at the MAC header for
     * devices with header_ops (Ethernet, and loopback, which carries a zeroed Ethernet header) and
     * at the IP header for devices without one (tun, WireGuard, ipip, sit). Other link types
     * (InfiniBand, CAN, GRE with its own header_ops...) are refused rather than misparsed.
     */
    int probeLink() throws LiveCaptureException {
        return switch (arphrdType) {
            case ARPHRD_ETHER, ARPHRD_LOOPBACK -> FlatConfig.LINK_ETHERNET;
            case ARPHRD_NONE, ARPHRD_RAWIP, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT -> FlatConfig.LINK_RAW_IP;
            default -> throw new LiveCaptureException("interface " + name + ": link type " + arphrdType
                    + " (/sys/class/net/" + name + "/type) is not supported by the eBPF probe"
                    + " (Ethernet, loopback and raw IP devices are); try --backend pcap");
        };
    }

    private static LiveCaptureException unknown(String name) {
        return new LiveCaptureException("unknown interface '" + name + "' (interfaces: " + String.join(", ", names()) + ")");
    }

    /** Existing interface names, sorted; empty when sysfs cannot be read. */
    static List<String> names() {
        try (Stream<Path> s = Files.list(SYS_CLASS_NET)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }
}
