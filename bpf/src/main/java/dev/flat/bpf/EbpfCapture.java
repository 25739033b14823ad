package dev.flat.bpf;

import dev.flat.core.event.EventSink;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Live capture through the tc eBPF probe: loads flat.bpf.o configured from {@link LiveOptions},
 * hooks it to the interface (TCX links, or the legacy clsact hook), and drains its ring buffer.
 *
 * <p>Threads: one thread calls {@link #poll}; {@link #close()} may come from any thread, including
 * the JVM shutdown hook this class registers for SIGINT/SIGTERM: it wakes a poll that is waiting,
 * waits for it to return, then detaches and frees everything. A sink may call close from inside
 * poll; the teardown then happens when that poll returns.
 */
public final class EbpfCapture implements LiveCapture {
    /** The kernel requires at least a page; an int position window bounds it above. */
    public static final int MAX_RING_BYTES = 1 << 30;
    private static final Logger LOG = Logger.getLogger(EbpfCapture.class.getName());

    private final Native n;
    private final NetInterface iface;
    private final ProbeObject probe;
    private final ProbeAttachment attachment;
    private final RingReader ring;
    private final ProbeCounters counters;
    private final long clockOffsetNs;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Thread shutdownHook;
    private volatile boolean closing;
    /** Guarded by this. */
    private boolean released;
    /** Guarded by this: the counters read just before teardown, returned afterwards. */
    private LiveCounters finalCounters;

    private EbpfCapture(Native n, NetInterface iface, ProbeObject probe, ProbeAttachment attachment,
                        RingReader ring, ProbeCounters counters) {
        this.n = n;
        this.iface = iface;
        this.probe = probe;
        this.attachment = attachment;
        this.ring = ring;
        this.counters = counters;
        this.clockOffsetNs = ClockOffset.measure(n);
        this.shutdownHook = new Thread(this::close, "flat-ebpf-detach-" + iface.name());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Loads the probe packaged in the jar and attaches it as the options say. */
    public static EbpfCapture open(LiveOptions options) throws LiveCaptureException {
        return open(options, ProbeObject.packagedObject());
    }

    /** As {@link #open(LiveOptions)} with the given probe object (tests, development builds). */
    static EbpfCapture open(LiveOptions options, byte[] probeObject) throws LiveCaptureException {
        Native n = Native.get();
        NetInterface iface = NetInterface.lookup(options.iface());
        validateRingBytes(n, options.ringBytes());
        FlatConfig config = FlatConfig.allocate().set(options, iface.probeLink());
        KernelSupport.prepare(n);
        ProbeObject probe = ProbeObject.load(n, probeObject, config, options.ringBytes());
        ProbeAttachment attachment = null;
        RingReader ring = null;
        try {
            attachment = attach(n, probe, iface, options.attach());
            ring = RingReader.open(n, probe.eventsFd(), probe.ringBytes());
            return new EbpfCapture(n, iface, probe, attachment, ring, new ProbeCounters(n, probe.countersFd()));
        } catch (LiveCaptureException | RuntimeException e) {
            if (ring != null) {
                ring.close();
            }
            if (attachment != null) {
                attachment.close();
            }
            probe.close();
            throw e;
        }
    }

    private static ProbeAttachment attach(Native n, ProbeObject probe, NetInterface iface, AttachMode mode)
            throws LiveCaptureException {
        switch (mode) {
            case TCX:
                return TcxAttachment.attach(n, probe, iface);
            case TC:
                return TcAttachment.attach(n, probe, iface);
            default:
                try {
                    return TcxAttachment.attach(n, probe, iface);
                } catch (LiveCaptureException e) {
                    // Kernels before 6.6 reject the TCX attach types with EINVAL (as pping does,
                    // fall back to the legacy hook then, and only then).
                    if (e.errno() != Native.EINVAL) {
                        throw e;
                    }
                    LOG.fine(() -> "TCX unavailable (" + e.getMessage() + "), using the legacy tc hook");
                    return TcAttachment.attach(n, probe, iface);
                }
        }
    }

    private static void validateRingBytes(Native n, int ringBytes) throws LiveCaptureException {
        int page = n.libc.getpagesize();
        if (ringBytes < page || Integer.bitCount(ringBytes) != 1 || ringBytes > MAX_RING_BYTES) {
            throw new LiveCaptureException("ring buffer size " + ringBytes + " bytes: must be a power of two between the page size ("
                    + page + ") and " + MAX_RING_BYTES);
        }
    }

    @Override
    public int poll(EventSink sink, int timeoutMs) throws LiveCaptureException {
        if (closing) {
            return 0;
        }
        pollLock.lock();
        try {
            if (closing) {
                return 0;
            }
            return ring.poll(sink, timeoutMs);
        } finally {
            pollLock.unlock();
            if (closing) {
                close();
            }
        }
    }

    @Override
    public long clockOffsetNs() {
        return clockOffsetNs;
    }

    @Override
    public synchronized LiveCounters counters() throws LiveCaptureException {
        if (released) {
            return finalCounters;
        }
        return new LiveCounters(counters.sum(ProbeCounters.PACKETS), counters.sum(ProbeCounters.EVENTS),
                counters.sum(ProbeCounters.RING_FULL), counters.sum(ProbeCounters.PARSE_ERRORS),
                counters.sum(ProbeCounters.FILTERED), ring.badRecords());
    }

    @Override
    public String description() {
        return "ebpf (" + attachment.mode() + ")";
    }

    @Override
    public String iface() {
        return iface.name();
    }

    @Override
    public int ifindex() {
        return iface.ifindex();
    }

    /** Detaches and frees everything; idempotent and safe from any thread (see the class comment). */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        closing = true;
        if (pollLock.isHeldByCurrentThread()) {
            return; // called by a sink inside poll: poll finishes the job when it returns
        }
        ring.wakeup();
        pollLock.lock();
        try {
            try {
                finalCounters = counters();
            } catch (LiveCaptureException e) {
                finalCounters = new LiveCounters(0, 0, 0, 0, 0, ring.badRecords());
                LOG.warning("read probe counters at close: " + e.getMessage());
            }
            attachment.close();
            ring.close();
            probe.close();
            released = true;
        } finally {
            pollLock.unlock();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself or during shutdown: nothing to unregister.
        }
    }

    /** The loaded object, for the parity test and the drain benchmark in this package. */
    ProbeObject probe() {
        return probe;
    }
}
