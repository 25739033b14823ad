package dev.flat.bpf;

import jnr.ffi.Pointer;

/** Checks and adjustments for the running kernel before the probe is loaded. */
final class KernelSupport {
    private KernelSupport() {
    }

    /**
     * Raises RLIMIT_MEMLOCK before 5.11, where BPF maps are charged against it (from 5.11 on they
     * are charged to the memory cgroup, commit 97306be45fbe "Merge branch 'switch to memcg-based
     * memory accounting'"), and fails with {@link MissingKernelFeatureException} when the kernel has
     * no BPF ring buffer (added in 5.8, commit 457f44363a88 "bpf: Implement BPF ring buffer and
     * verifier support for it").
     */
    static void prepare(Native n) throws LiveCaptureException {
        KernelRelease kernel = KernelRelease.running();
        if (!kernel.atLeast(5, 11)) {
            Pointer unlimited = n.allocate(16);
            unlimited.putLong(0, LibC.RLIM_INFINITY);
            unlimited.putLong(8, LibC.RLIM_INFINITY);
            if (n.libc.setrlimit(LibC.RLIMIT_MEMLOCK, unlimited) < 0) {
                throw LiveCaptureException.of(n, "raise RLIMIT_MEMLOCK (kernel " + kernel.text() + " charges BPF maps to it)", n.lastErrno());
            }
        }
        // Create a one-page ring buffer and look at the errno: libbpf_probe_bpf_map_type cannot
        // be used, it answers "unsupported" for EPERM too. The map is freed on close.
        int fd = n.bpf.bpf_map_create(LibBpf.BPF_MAP_TYPE_RINGBUF, null, 0, 0, n.libc.getpagesize(), null);
        if (fd >= 0) {
            n.libc.close(fd);
            return;
        }
        if (-fd == Native.EINVAL && !kernel.atLeast(5, 8)) {
            // EINVAL for an unknown map type; on newer kernels EINVAL would mean something else
            // and falls through to the generic message.
            throw new MissingKernelFeatureException("the BPF ring buffer", "5.8", kernel.text());
        }
        throw LiveCaptureException.of(n, "create a BPF ring buffer", fd);
    }
}
