package dev.flat.bpf;

/** How the probe is attached: {@code --attach auto|tcx|tc}. */
public enum AttachMode {
    /** TCX links where the kernel has them (≥ 6.6), else the legacy clsact hook. */
    AUTO,
    /** bpf_link_create with BPF_TCX_INGRESS/EGRESS; the kernel releases the links with the process. */
    TCX,
    /** Legacy clsact qdisc + bpf_tc_attach filters; flat removes only what it created. */
    TC
}
