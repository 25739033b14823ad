package dev.flat.bpf;

/** Which live source to use: {@code --backend auto|ebpf|pcap}. */
public enum Backend {
    /** eBPF when it can be used here, else libpcap. */
    AUTO,
    EBPF,
    PCAP
}
