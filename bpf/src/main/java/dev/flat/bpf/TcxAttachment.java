package dev.flat.bpf;

/**
 * TCX attachment (kernel ≥ 6.6, commit e420bed02507 "bpf: Add fd-based tcx multi-prog infra
 * with link support"): one bpf_link per direction. Links coexist with other programs on the hook
 * and belong to their file descriptor: the kernel detaches them when the last fd closes, so they
 * go away even when the JVM is killed with SIGKILL.
 */
final class TcxAttachment implements ProbeAttachment {
    private final Native n;
    private int ingressLink;
    private int egressLink;

    private TcxAttachment(Native n, int ingressLink, int egressLink) {
        this.n = n;
        this.ingressLink = ingressLink;
        this.egressLink = egressLink;
    }

    /**
     * Creates both links (only the egress one on loopback: {@link NetInterface#egressOnly()}). Fails with errno EINVAL (see {@link LiveCaptureException#errno()}) on
     * kernels without TCX, which is the signal for AUTO to fall back to the legacy hook.
     */
    static TcxAttachment attach(Native n, ProbeObject probe, NetInterface iface) throws LiveCaptureException {
        int ingress = iface.egressOnly() ? -1 : link(n, probe.programFd(true), iface, LibBpf.BPF_TCX_INGRESS, "ingress");
        try {
            int egress = link(n, probe.programFd(false), iface, LibBpf.BPF_TCX_EGRESS, "egress");
            return new TcxAttachment(n, ingress, egress);
        } catch (LiveCaptureException e) {
            if (ingress >= 0) {
                n.libc.close(ingress);
            }
            throw e;
        }
    }

    private static int link(Native n, int progFd, NetInterface iface, int attachType, String direction)
            throws LiveCaptureException {
        int fd = n.bpf.bpf_link_create(progFd, iface.ifindex(), attachType, null);
        if (fd < 0) {
            throw LiveCaptureException.of(n, "attach tcx " + direction + " " + iface.name(), fd);
        }
        return fd;
    }

    @Override
    public String mode() {
        return "tcx";
    }

    @Override
    public synchronized void close() {
        if (ingressLink >= 0) {
            n.libc.close(ingressLink);
            ingressLink = -1;
        }
        if (egressLink >= 0) {
            n.libc.close(egressLink);
            egressLink = -1;
        }
    }
}
