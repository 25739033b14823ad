package dev.flat.bpf;

/**
 * The running kernel lacks something the probe needs, e.g. the BPF ring buffer (Linux 5.8).
 * Distinct from other failures so that {@code --backend auto} can fall back to libpcap and say why.
 */
public final class MissingKernelFeatureException extends LiveCaptureException {
    private final String feature;
    private final String sinceKernel;

    public MissingKernelFeatureException(String feature, String sinceKernel, String runningKernel) {
        super(feature + " is not available in kernel " + runningKernel + " (it needs Linux " + sinceKernel + " or later)");
        this.feature = feature;
        this.sinceKernel = sinceKernel;
    }

    public String feature() {
        return feature;
    }

    public String sinceKernel() {
        return sinceKernel;
    }
}
