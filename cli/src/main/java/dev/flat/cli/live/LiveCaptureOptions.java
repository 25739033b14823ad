package dev.flat.cli.live;

import dev.flat.bpf.AttachMode;
import dev.flat.bpf.Backend;
import dev.flat.bpf.LiveOptions;
import dev.flat.core.match.Kind;
import dev.flat.core.report.Address128;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** -i, --backend, --attach, --ring-size: where and how the live commands capture. */
public final class LiveCaptureOptions {
    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IFACE",
            description = "Network interface to capture on.")
    String iface;

    @Option(names = "--backend", paramLabel = "auto|ebpf|pcap", defaultValue = "auto", converter = BackendConverter.class,
            description = "Live source: the tc eBPF probe, libpcap, or auto (eBPF when this machine allows it, "
                    + "else libpcap; default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--attach", paramLabel = "auto|tcx|tc", defaultValue = "auto", converter = AttachConverter.class,
            description = "How the eBPF probe attaches: TCX links (Linux 6.6+), the legacy tc clsact hook, "
                    + "or auto (TCX, else tc; default: ${DEFAULT-VALUE}).")
    AttachMode attach;

    @Option(names = "--ring-size", paramLabel = "BYTES", defaultValue = "" + LiveOptions.DEFAULT_RING_BYTES,
            description = "eBPF ring buffer size in bytes, a power of two (default: ${DEFAULT-VALUE}).")
    int ringBytes;

    public String iface() { return iface; }

    /** The settings for the capture; kinds, hosts and ports are applied at the source too. */
    public LiveOptions toLiveOptions(Set<Kind> kinds, Collection<Address128> hosts, Collection<Integer> ports) {
        List<byte[]> addresses = new ArrayList<>();
        for (Address128 a : hosts) {
            addresses.add(ByteBuffer.allocate(16).putLong(a.hi()).putLong(a.lo()).array());
        }
        return new LiveOptions(iface, backend, attach, ringBytes, kinds, addresses, new ArrayList<>(ports));
    }

    static final class BackendConverter implements ITypeConverter<Backend> {
        @Override
        public Backend convert(String text) {
            try {
                return Backend.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' is not a backend; use auto, ebpf or pcap");
            }
        }
    }

    static final class AttachConverter implements ITypeConverter<AttachMode> {
        @Override
        public AttachMode convert(String text) {
            try {
                return AttachMode.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' is not an attach mode; use auto, tcx or tc");
            }
        }
    }
}
