package dev.flat.bpf;

/**
 * What a live source counted, mirroring {@code enum flat_counter} in flat_event.h.
 *
 * @param packets     packets the source saw
 * @param events      events handed towards user space
 * @param lost        events lost before user space read them (ring full, pcap drops)
 * @param parseErrors truncated or inconsistent headers
 * @param filtered    relevant packets dropped by the kind/host/port settings
 * @param badRecords  records user space received but rejected (wrong length, type or version:
 *                    a probe that does not match this flat); 0 for sources without records
 */
public record LiveCounters(long packets, long events, long lost, long parseErrors, long filtered, long badRecords) {
    /** For sources that cannot receive malformed records (libpcap: flat builds them itself). */
    public LiveCounters(long packets, long events, long lost, long parseErrors, long filtered) {
        this(packets, events, lost, parseErrors, filtered, 0);
    }
}
