package dev.flat.bpf;

import dev.flat.core.event.EventSink;
import jnr.ffi.Pointer;

/**
 * The probe loaded but not attached, driven through BPF_PROG_TEST_RUN: the kernel runs the
 * program on a frame given from user space (as an skb arriving on loopback) and the record, if
 * any, lands in the ring as it would live. Used by the parity test and the drain benchmark.
 */
final class ProbeRunner implements AutoCloseable {
    /** struct bpf_test_run_opts (bpf.h, libbpf 1.1): 80 bytes. */
    static final int OPTS_SIZE = 80;
    static final int DATA_IN = 8;
    static final int DATA_SIZE_IN = 24;
    static final int RETVAL = 56;
    static final int REPEAT = 60;
    static final int DURATION = 64;
    /**
     * Largest frame passed: BPF_PROG_TEST_RUN builds the skb in one page, less headroom and
     * skb_shared_info (net/bpf/test_run.c bpf_test_init), so a bit over 3.5 KiB fits.
     */
    static final int MAX_FRAME = 3072;

    final Native n;
    final ProbeObject probe;
    final RingReader ring;
    private final Pointer opts;
    private final Pointer frame;

    ProbeRunner(FlatConfig config, int ringBytes) throws LiveCaptureException {
        n = Native.get();
        probe = ProbeObject.load(n, ProbeObject.packagedObject(), config, ringBytes);
        try {
            ring = RingReader.open(n, probe.eventsFd(), probe.ringBytes());
        } catch (LiveCaptureException e) {
            probe.close();
            throw e;
        }
        opts = n.allocate(OPTS_SIZE);
        frame = n.allocate(MAX_FRAME);
    }

    /**
     * Runs the ingress program {@code repeat} times on the frame.
     *
     * @return the errno of a refused run (frame shorter than an Ethernet header, too long), else 0
     */
    int run(byte[] buf, int off, int len, int repeat) {
        frame.put(0, buf, off, len);
        opts.setMemory(0, OPTS_SIZE, (byte) 0);
        opts.putLong(0, OPTS_SIZE);
        opts.putAddress(DATA_IN, frame.address());
        opts.putInt(DATA_SIZE_IN, len);
        opts.putInt(REPEAT, repeat);
        int err = n.bpf.bpf_prog_test_run_opts(probe.programFd(true), opts);
        if (err < 0) {
            return -err;
        }
        if (opts.getInt(RETVAL) != -1) {
            throw new AssertionError("the probe must return TC_ACT_UNSPEC (-1), returned " + opts.getInt(RETVAL));
        }
        return 0;
    }

    /** The kernel's mean ns per run of the last {@link #run} (its own timing of the repeat loop). */
    int lastDurationNs() {
        return opts.getInt(DURATION);
    }

    int drain(EventSink sink) throws LiveCaptureException {
        return ring.poll(sink, 0);
    }

    long counter(int index) throws LiveCaptureException {
        return new ProbeCounters(n, probe.countersFd()).sum(index);
    }

    @Override
    public void close() {
        ring.close();
        probe.close();
    }
}
