package dev.flat.bpf;

import dev.flat.core.event.EventSink;
import java.io.IOException;

/**
 * A running live capture on one interface: the eBPF probe ({@code EbpfCapture}) or the libpcap
 * fallback ({@code PcapCapture}). Both hand over event records in the layout of
 * {@code flat_event.h}; only the clock of {@code ts_ns} differs, hence {@link #clockOffsetNs()}.
 *
 * <p>{@link #close()} is idempotent and removes exactly what this capture installed, whatever
 * the exit path.
 */
public interface LiveCapture extends AutoCloseable {
    /**
     * Waits up to {@code timeoutMs} for events and hands each one to the sink, as the source wrote
     * it (eBPF: kernel CLOCK_MONOTONIC timestamps). The record is valid only during the call.
     *
     * @return the number of events handed over
     */
    int poll(EventSink sink, int timeoutMs) throws IOException;

    /** Add to a record's ts_ns to get ns since the Unix epoch (eBPF: realtime − monotonic; pcap: 0). */
    long clockOffsetNs();

    /** Totals so far (summed over CPUs for the probe). */
    LiveCounters counters() throws IOException;

    /** "ebpf (tcx)", "ebpf (tc)", "pcap": for summaries and logs. */
    String description();

    String iface();

    int ifindex();

    @Override
    void close();
}
