package dev.flat.core.input;

import dev.flat.core.event.EventSink;
import java.io.IOException;

/**
 * Anything that yields event records: a capture file (through the frame parser), an event log,
 * the live ring buffer. Records handed to the sink carry wall-clock timestamps (ns since the Unix
 * epoch, UTC): sources whose clock differs (the kernel's monotonic clock) convert before handing on.
 */
public interface EventSource extends AutoCloseable {
    /**
     * Pushes every remaining event to the sink, counting packets, events and skips in the stats.
     * A source cut short records a warning in the stats and returns normally, so that the results
     * read so far are kept; garbage that makes going on impossible is an {@link InputException}.
     */
    void drainTo(EventSink sink, InputStats stats) throws IOException;

    /** Interface names the source knows (pcapng if_name, the live interface), by ifindex. */
    InterfaceNames interfaces();

    /**
     * Asks a running {@link #drainTo}, from any thread (a signal handler), to return early at a
     * record boundary, as if the input ended there, after a warning in the stats that names the
     * file and offset ("interrupted at offset N in packet M of FILE; ..."). The events read
     * before stay handed on, so the caller finishes its report as at the end of the input.
     * Sources check the request once per buffer refill, never per packet, so it takes effect
     * within one refill's worth of records. The default, for sources that cannot stop early,
     * ignores it: they read on to their end.
     */
    default void requestStop() {}

    /**
     * Work the thread that consumes this source's events may do while it waits for them (see
     * {@link ReadAhead}), or null. Asked for on the thread that then calls {@link #drainTo}; the
     * work may be done only on another thread, the one the events are handed to, and only while
     * that drain runs.
     */
    default ReadAhead readAhead() { return null; }

    /** Bytes consumed so far and in all (for a progress bar); size -1 when unknown. */
    default long position() { return -1; }
    default long size() { return -1; }

    @Override
    void close() throws IOException;
}
