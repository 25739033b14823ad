package dev.flat.bpf;

import dev.flat.core.event.EventSink;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

/**
 * Live capture through the tc eBPF probe: loads flat.bpf.o configured from {@link LiveOptions},
 * hooks it to the interface (TCX links, or the legacy clsact hook), and drains its ring buffer.
 *
 * <p>Threads: one thread calls {@link #poll} (the ring has one consumer); {@link #counters()} and
 * {@link #close()} may come from any thread, close also from the JVM shutdown hook this class
 * registers for SIGINT/SIGTERM: it wakes a poll that is waiting, waits for it to return, then
 * detaches and frees everything. A sink may call close (or counters) from inside poll; the
 * teardown then happens when that poll returns.
 */
public final class EbpfCapture implements LiveCapture {
    /**
     * The kernel wants at least a page; the reader's view of the data area (an int-indexed
     * ByteBuffer of the size plus a page) bounds it above.
     */
    public static final int MAX_RING_BYTES = 1 << 30;
    private static final Logger LOG = Logger.getLogger(EbpfCapture.class.getName());

    private final NetInterface iface;
    private final ProbeObject probe;
    private final ProbeAttachment attachment;
    private final RingReader ring;
    private final ProbeCounters counters;
    private final long clockOffsetNs;
    /**
     * Read-held while the ring, maps or fds are in use (poll, counters); write-held to free them.
     * A poll waits in epoll with the read lock held: close wakes it first, then takes the write lock.
     */
    private final ReentrantReadWriteLock resources = new ReentrantReadWriteLock();
    /** Serialises closers, so that the eventfd is never written after it was closed. */
    private final Object closeMonitor = new Object();
    private final Thread shutdownHook;
    private volatile boolean closing;
    /** Written under the write lock. */
    private boolean released;
    /** Written under the write lock: the counters read just before teardown, returned afterwards. */
    private LiveCounters finalCounters;

    private EbpfCapture(Native n, NetInterface iface, ProbeObject probe, ProbeAttachment attachment,
                        RingReader ring, ProbeCounters counters) {
        this.iface = iface;
        this.probe = probe;
        this.attachment = attachment;
        this.ring = ring;
        this.counters = counters;
        this.clockOffsetNs = ClockOffset.measure(n);
        this.shutdownHook = new Thread(this::close, "flat-ebpf-detach-" + iface.name());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Loads the probe packaged in the jar, configured from the options, and attaches it.
     *
     * @throws MissingPrivilegesException    without CAP_BPF and CAP_NET_ADMIN
     * @throws MissingKernelFeatureException on kernels without the BPF ring buffer (&lt; 5.8)
     * @throws LiveCaptureException          for every other failure, naming operation and errno
     */
    public static EbpfCapture open(LiveOptions options) throws LiveCaptureException {
        Native n = Native.get();
        NetInterface iface = NetInterface.lookup(options.iface());
        validateRingBytes(n, options.ringBytes());
        FlatConfig config;
        try {
            config = FlatConfig.allocate().set(options, iface.probeLink());
        } catch (IllegalArgumentException e) {
            throw new LiveCaptureException(e.getMessage(), e);
        }
        KernelSupport.prepare(n);
        ProbeObject probe = ProbeObject.load(n, ProbeObject.packagedObject(), config, options.ringBytes());
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
        resources.readLock().lock();
        try {
            if (closing) {
                return 0;
            }
            return ring.poll(sink, timeoutMs);
        } finally {
            resources.readLock().unlock();
            if (closing && resources.getReadHoldCount() == 0) {
                close(); // a sink asked for it during this poll, or a closer is waiting
            }
        }
    }

    @Override
    public long clockOffsetNs() {
        return clockOffsetNs;
    }

    @Override
    public LiveCounters counters() throws LiveCaptureException {
        resources.readLock().lock();
        try {
            return released ? finalCounters : readCounters();
        } finally {
            resources.readLock().unlock();
        }
    }

    private LiveCounters readCounters() throws LiveCaptureException {
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
    public void close() {
        synchronized (closeMonitor) {
            if (released) {
                return;
            }
            closing = true;
            if (resources.getReadHoldCount() > 0) {
                return; // called by a sink inside poll: poll finishes the job when it returns
            }
            ring.wakeup();
            resources.writeLock().lock(); // waits for a poll in progress to return
            try {
                try {
                    finalCounters = readCounters();
                } catch (LiveCaptureException e) {
                    finalCounters = new LiveCounters(0, 0, 0, 0, 0, ring.badRecords());
                    LOG.warning("read probe counters at close: " + e.getMessage());
                }
                attachment.close();
                ring.close();
                probe.close();
                released = true;
            } finally {
                resources.writeLock().unlock();
            }
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
