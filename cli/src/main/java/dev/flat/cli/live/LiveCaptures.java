package dev.flat.cli.live;

import dev.flat.bpf.EbpfCapture;
import dev.flat.bpf.LiveCapture;
import dev.flat.bpf.LiveCaptureException;
import dev.flat.bpf.LiveOptions;
import dev.flat.bpf.MissingKernelFeatureException;
import dev.flat.bpf.MissingPrivilegesException;
import dev.flat.bpf.pcap.PcapCapture;
import java.io.PrintWriter;
import java.util.Locale;

/** Opens the live source the options ask for; {@code --backend auto} prefers the eBPF probe. */
public final class LiveCaptures {
    private LiveCaptures() {}

    /**
     * eBPF or libpcap as asked; AUTO tries the probe and falls back to libpcap when eBPF cannot be
     * used on this machine (not Linux, libbpf missing, no CAP_BPF/CAP_NET_ADMIN, a kernel without
     * the ring buffer), saying why on {@code err}. Mistakes that libpcap would repeat (an unknown
     * interface, a bad ring size) are reported as they are.
     */
    public static LiveCapture open(LiveOptions options, PrintWriter err) throws LiveCaptureException {
        switch (options.backend()) {
            case EBPF:
                return EbpfCapture.open(options);
            case PCAP:
                return PcapCapture.open(options);
            default:
                if (!isLinux()) {
                    err.println("flat: eBPF needs Linux (this is " + System.getProperty("os.name") + "); using libpcap");
                    err.flush();
                    return PcapCapture.open(options);
                }
                try {
                    return EbpfCapture.open(options);
                } catch (LiveCaptureException e) {
                    if (!ebpfUnusableHere(e)) {
                        throw e;
                    }
                    err.println("flat: eBPF probe unavailable (" + e.getMessage() + "); using libpcap");
                    err.flush();
                    return PcapCapture.open(options);
                }
        }
    }

    /** True for failures of the machine rather than of the request. */
    static boolean ebpfUnusableHere(LiveCaptureException e) {
        return e instanceof MissingPrivilegesException
                || e instanceof MissingKernelFeatureException
                || e.getMessage().startsWith("load libbpf");
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }
}
