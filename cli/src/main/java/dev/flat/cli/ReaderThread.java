package dev.flat.cli;

import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Drains a source with the reading (file I/O, frame parsing) on a thread of its own and the
 * sink's work (filter, matcher, summary, report) on the calling thread, joined by an
 * {@link EventRing}: on a machine with two cores the two halves overlap. The sink sees the same
 * events in the same order as from {@link EventSource#drainTo} directly, and the reader's
 * exception, if any, is thrown here once the events read before it have been handed on, as a
 * direct drain would.
 *
 * <p>The reader writes the {@link InputStats} (counts, warnings) and the source's interface
 * names; the caller reads the stats only after {@link #drain} returns, which follows the
 * reader's end (a {@link Thread#join}: everything the reader did is visible).
 */
final class ReaderThread {
    /** Below this size a file is read in a few ms, less than a thread start and its JIT warm-up are worth. */
    static final long MIN_BYTES = 8L << 20;

    private ReaderThread() {}

    /** Whether {@link #drain} pays off for the source: several CPUs and a file that is not tiny (or of unknown size). */
    static boolean worthwhile(EventSource source) {
        return Runtime.getRuntime().availableProcessors() > 1 && (source.size() < 0 || source.size() >= MIN_BYTES);
    }

    static void drain(EventSource source, EventSink sink, InputStats stats) throws IOException {
        EventRing ring = new EventRing();
        Thread reader = new Thread(() -> {
            Throwable error = null;
            try {
                source.drainTo(ring, stats);
            } catch (Throwable t) {
                error = t;
            } finally {
                ring.finish(error);
            }
        }, "flat-reader");
        reader.setDaemon(true); // never keeps the JVM alive (Ctrl-C, an exception on this side)
        reader.start();
        Throwable readerFailure;
        try {
            readerFailure = ring.drainTo(sink);
        } catch (RuntimeException | Error e) {
            ring.cancel();
            join(reader);
            throw e;
        }
        join(reader);
        if (readerFailure instanceof IOException io) {
            throw io;
        }
        if (readerFailure instanceof RuntimeException re) {
            throw re;
        }
        if (readerFailure instanceof Error err) {
            throw err;
        }
        if (readerFailure != null) {
            throw new IOException(readerFailure); // drainTo declares no other checked exception
        }
    }

    private static void join(Thread reader) throws InterruptedIOException {
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the reader thread");
        }
    }
}
