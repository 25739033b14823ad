package dev.flat.core.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the readers saw: files, packets, events, every skipped packet by reason, unsupported link
 * types and warnings (a file cut short, ...). Not thread-safe: one reader thread fills it.
 * The per-packet counters are plain arrays so that counting allocates nothing.
 */
public final class InputStats {
    private final List<String> files = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final long[] skipped = new long[SkipReason.values().length];
    private final Map<Integer, Long> unsupportedLinkTypes = new TreeMap<>();
    private long packets;
    private long events;
    /** Events the source lost before flat could read them (ring buffer full); live only. */
    private long lostEvents;
    /** Events whose capture time field was out of range, read as Wireshark reads it (replay's PacketTime). */
    private long timestampsOutOfRange;

    public void addFile(String name) { files.add(name); }
    public void countPacket() { packets++; }
    public void countPackets(long n) { packets += n; }
    public void countEvent() { events++; }
    public void skip(SkipReason reason) { skipped[reason.ordinal()]++; }
    public void countLost(long n) { lostEvents += n; }
    public void countTimestampOutOfRange() { timestampsOutOfRange++; }

    public void unsupportedLinkType(int linkType) {
        skipped[SkipReason.UNSUPPORTED_LINK_TYPE.ordinal()]++;
        unsupportedLinkTypes.merge(linkType, 1L, Long::sum);
    }

    public void warn(String warning) { warnings.add(warning); }

    /**
     * Adds another's counts (packets, events, skips, unsupported link types, lost events and
     * out-of-range times) to these: what a stretch of a file read ahead on another thread counted
     * (replay's CaptureReadAhead). Files and warnings are not counts and are not added.
     */
    public void addCounts(InputStats other) {
        packets += other.packets;
        events += other.events;
        lostEvents += other.lostEvents;
        timestampsOutOfRange += other.timestampsOutOfRange;
        for (int i = 0; i < skipped.length; i++) {
            skipped[i] += other.skipped[i];
        }
        other.unsupportedLinkTypes.forEach((linkType, n) -> unsupportedLinkTypes.merge(linkType, n, Long::sum));
    }

    public List<String> files() { return Collections.unmodifiableList(files); }
    public List<String> warnings() { return Collections.unmodifiableList(warnings); }
    public long packets() { return packets; }
    public long events() { return events; }
    public long lostEvents() { return lostEvents; }
    public long timestampsOutOfRange() { return timestampsOutOfRange; }
    public long skipped(SkipReason reason) { return skipped[reason.ordinal()]; }

    public long skippedTotal() {
        long total = 0;
        for (long n : skipped) {
            total += n;
        }
        return total;
    }

    /** Non-zero skip counts in declaration order. */
    public Map<SkipReason, Long> skippedByReason() {
        Map<SkipReason, Long> m = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            if (skipped[r.ordinal()] != 0) {
                m.put(r, skipped[r.ordinal()]);
            }
        }
        return m;
    }

    /** Link type number → packets skipped for it. */
    public Map<Integer, Long> unsupportedLinkTypes() { return Collections.unmodifiableMap(unsupportedLinkTypes); }
}
