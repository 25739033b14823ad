package dev.flat.bpf.pcap;

import dev.flat.bpf.LiveCapture;
import dev.flat.bpf.LiveCaptureException;
import dev.flat.bpf.LiveCounters;
import dev.flat.bpf.LiveOptions;
import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.replay.FrameParser;
import dev.flat.replay.LinkType;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.sql.Timestamp;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The libpcap fallback: the same records as the probe, built by the offline frame parser from
 * frames libpcap hands over, for machines where the eBPF probe cannot run.
 *
 * <p><b>Direction.</b> The capture opens the "any" device with the LINUX_SLL2 link type and a
 * {@code ifindex N} filter (libpcap ≥ 1.10): the cooked header carries the packet type
 * (PACKET_OUTGOING → egress, others → ingress) from one handle, in the order the kernel saw the
 * packets. Opening the interface twice with pcap_setdirection(IN/OUT) would also tell directions,
 * but as two streams whose merge would reorder requests and responses.
 *
 * <p><b>Timestamps.</b> Nanosecond precision (pcap_set_tstamp_precision), wall clock, hence a
 * clock offset of 0. They are taken when the packet socket gets the packet, close to the probe's
 * tc hook but not identical (egress: after the qdisc rather than before).
 *
 * <p><b>Cost.</b> pcap4j hands each frame over as a new byte array (headers only: the snap length
 * is {@link #SNAPLEN}); that allocation is the price of the fallback.
 *
 * <p><b>Waiting.</b> libpcap on Linux blocks in pcap_next without end when no packet arrives,
 * whatever the read timeout (seen with 1.10.3, immediate mode or not), and pcap4j does not expose
 * pcap_get_selectable_fd to wait with poll(2). The handle is therefore non-blocking, and an idle
 * poll() sleeps {@link #IDLE_WAIT_MS} between reads: at most that much delay before an event is
 * handed over (timestamps are unaffected), about a hundred cheap wake-ups a second when idle.
 *
 * <p>{@link #poll} and {@link #close} may run on different threads (a shutdown hook closes while
 * the main thread polls): a lock keeps the handle from being closed under a running read.
 */
public final class PcapCapture implements LiveCapture {
    /**
     * Bytes captured per packet: SLL2 (20) + IPv6 (40) + six extension headers + TCP with options
     * (60) fits; payload beyond the first four UDP bytes is never needed.
     */
    static final int SNAPLEN = 256;
    /** Read timeout given to libpcap (it only matters for its internal buffering). */
    static final int READ_TIMEOUT_MS = 100;
    /** Sleep between reads of an idle non-blocking handle. */
    static final int IDLE_WAIT_MS = 10;
    /** Kernel buffer for the packet socket: bursts up to this size survive a slow consumer. */
    static final int BUFFER_BYTES = 8 << 20;
    /** Frames handed over per poll() before returning to the caller (flushes, expiry, signals). */
    static final int MAX_FRAMES_PER_POLL = 4096;
    static final String INSTALL_HINT = "install libpcap (Debian: libpcap0.8)";

    /** Skip reasons that mean a damaged frame rather than one flat does not measure. */
    private static final Set<SkipReason> PARSE_ERRORS = EnumSet.of(SkipReason.TRUNCATED_LINK,
            SkipReason.TRUNCATED_IP, SkipReason.TRUNCATED_TRANSPORT, SkipReason.INCONSISTENT_HEADER,
            SkipReason.TOO_MANY_EXTENSION_HEADERS, SkipReason.TOO_MANY_ENCAPSULATIONS);

    private final PcapHandle handle;
    private final String iface;
    private final int ifindex;
    private final FrameParser parser = new FrameParser();
    private final EventRecord record = EventRecord.allocate();
    private final InputStats parseStats = new InputStats();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set under the lock once the handle is closed. */
    private boolean closed;
    private long frames;
    private long events;
    private LiveCounters lastCounters = new LiveCounters(0, 0, 0, 0, 0);

    private PcapCapture(PcapHandle handle, String iface, int ifindex) {
        this.handle = handle;
        this.iface = iface;
        this.ifindex = ifindex;
    }

    /** Opens the capture; every failure is a one-line {@link LiveCaptureException}. */
    public static PcapCapture open(LiveOptions options) throws LiveCaptureException {
        int ifindex = ifindex(options.iface());
        PcapHandle handle = openAny(options.iface());
        try {
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            handle.setDlt(DataLinkType.getInstance(LinkType.LINUX_SLL2));
            if (handle.getDlt().value() != LinkType.LINUX_SLL2) {
                throw new LiveCaptureException("pcap set link type LINUX_SLL2 " + options.iface()
                        + ": not offered by this libpcap (1.10 or later needed)");
            }
            String filter = PcapFilter.expression(ifindex, options.kinds(), options.hosts(), options.ports());
            handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
            return new PcapCapture(handle, options.iface(), ifindex);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new LiveCaptureException("pcap setup " + options.iface() + ": " + oneLine(e), e);
        } catch (LiveCaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static PcapHandle openAny(String iface) throws LiveCaptureException {
        try {
            return new PcapHandle.Builder("any")
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .immediateMode(true)
                    .timeoutMillis(READ_TIMEOUT_MS)
                    .bufferSize(BUFFER_BYTES)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
        } catch (LinkageError e) {
            // JNA could not load libpcap.so (or pcap4j's bindings failed to initialise with it).
            throw new LiveCaptureException("libpcap cannot be loaded (" + oneLine(e) + "): " + INSTALL_HINT, e);
        } catch (PcapNativeException e) {
            String message = oneLine(e);
            if (message.contains("Operation not permitted") || message.contains("permission")) {
                throw new LiveCaptureException("flat needs root or CAP_NET_RAW to capture with libpcap on "
                        + iface + " (" + message + ")", e);
            }
            throw new LiveCaptureException("pcap open " + iface + ": " + message, e);
        }
    }

    /** The kernel ifindex, or an error listing the interfaces that exist. */
    static int ifindex(String iface) throws LiveCaptureException {
        try {
            NetworkInterface ni = iface == null || iface.isEmpty() ? null : NetworkInterface.getByName(iface);
            if (ni == null) {
                List<String> names = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                        .map(NetworkInterface::getName).sorted().collect(Collectors.toList());
                throw new LiveCaptureException("unknown interface '" + iface + "' (interfaces: "
                        + String.join(", ", names) + ")");
            }
            return ni.getIndex();
        } catch (SocketException e) {
            throw new LiveCaptureException("look up interface " + iface + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int poll(EventSink sink, int timeoutMs) throws LiveCaptureException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMs, 0));
        int handed = 0;
        lock.lock();
        try {
            for (int n = 0; n < MAX_FRAMES_PER_POLL && !closing.get() && !closed; ) {
                byte[] frame = handle.getNextRawPacket();
                if (frame == null) {
                    // Nothing queued: return once something was handed over or the caller's wait
                    // is used up, else sleep a little and look again.
                    if (handed > 0 || System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_WAIT_MS));
                    continue;
                }
                n++;
                frames++;
                if (parser.parse(LinkType.LINUX_SLL2, frame, 0, frame.length, wallClockNs(handle.getTimestamp()),
                        EventRecord.DIGITS_NS, Direction.UNKNOWN.code(), ifindex, record, parseStats)) {
                    events++;
                    handed++;
                    sink.onEvent(record);
                }
            }
        } catch (NotOpenException e) {
            if (!closing.get()) {
                throw new LiveCaptureException("pcap read " + iface + ": handle closed", e);
            }
        } finally {
            lock.unlock();
        }
        return handed;
    }

    /** java.sql.Timestamp keeps whole milliseconds in getTime() and the full fraction in getNanos(). */
    static long wallClockNs(Timestamp ts) {
        return Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
    }

    @Override
    public long clockOffsetNs() { return 0; }

    /**
     * packets: frames the filter let through; events: frames that became records; lost: pcap_stats
     * ps_drop (the socket buffer was full: flat read too slowly). Not ps_ifdrop: packets the
     * interface dropped never reached the probe's hook either, so they are not flat's loss.
     * parseErrors: frames cut short or inconsistent; filtered: 0, since libpcap's kernel filter
     * drops the rest without counting.
     */
    @Override
    public LiveCounters counters() throws LiveCaptureException {
        lock.lock();
        try {
            return closed ? lastCounters : readCounters();
        } finally {
            lock.unlock();
        }
    }

    private LiveCounters readCounters() throws LiveCaptureException {
        try {
            PcapStat s = handle.getStats();
            long parseErrors = 0;
            for (SkipReason r : PARSE_ERRORS) {
                parseErrors += parseStats.skipped(r);
            }
            lastCounters = new LiveCounters(frames, events,
                    s.getNumPacketsDropped(), parseErrors, 0);
            return lastCounters;
        } catch (PcapNativeException | NotOpenException e) {
            throw new LiveCaptureException("pcap stats " + iface + ": " + oneLine(e), e);
        }
    }

    /** Skips of the frames libpcap let through, by reason (what the frame parser counted). */
    public InputStats parseStats() { return parseStats; }

    @Override
    public String description() { return "pcap"; }

    @Override
    public String iface() { return iface; }

    @Override
    public int ifindex() { return ifindex; }

    /** Idempotent; safe from a shutdown hook while another thread polls (waits for its read to end). */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            try {
                readCounters();
            } catch (LiveCaptureException ignored) {
                // Keep the counters of the last successful read.
            }
            closed = true;
            handle.close();
        } finally {
            lock.unlock();
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return m.replace('\n', ' ').trim();
    }
}
