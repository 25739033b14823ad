package dev.flat.cli;

import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
        start(() -> source, stats, EventRing.SLOTS).finish(sink);
    }

    /** Opens the source to read, on the reader thread. */
    interface Opener {
        EventSource open() throws IOException;
    }

    /**
     * Starts a thread that opens a source and reads it into a ring of {@code ringSlots} events;
     * {@link Reading#finish} hands them to a sink, {@link Reading#abandon} stops the reading unused.
     */
    static Reading start(Opener opener, InputStats stats, int ringSlots) {
        EventRing ring = new EventRing(ringSlots);
        CompletableFuture<EventSource> opened = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Throwable error = null;
            try {
                EventSource source = opener.open();
                opened.complete(source);
                if (!ring.cancelled()) { // else abandoned while it opened (see abandon)
                    ring.helpWith(source.readAhead());
                    source.drainTo(ring, stats);
                }
            } catch (Throwable t) {
                opened.completeExceptionally(t); // no effect once the source was opened
                error = t;
            } finally {
                ring.finish(error);
            }
        }, "flat-reader");
        reader.setDaemon(true); // never keeps the JVM alive (Ctrl-C, an exception on this side)
        reader.start();
        return new Reading(opened, ring, reader);
    }

    /** A source being opened and read on its own thread into a ring. */
    static final class Reading {
        private final CompletableFuture<EventSource> opened;
        private final EventRing ring;
        private final Thread reader;
        /** Set by the first {@link #finish} or {@link #abandon}: the other then has nothing to do. */
        private boolean ended;

        private Reading(CompletableFuture<EventSource> opened, EventRing ring, Thread reader) {
            this.opened = opened;
            this.ring = ring;
            this.reader = reader;
        }

        /** The source once the reader thread has opened it; what failed to open it, thrown as it was. */
        EventSource source() throws IOException {
            try {
                return opened.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the reader thread opened its source");
            } catch (ExecutionException e) {
                throw rethrown(e.getCause());
            }
        }

        /**
         * Hands every event read to the sink on the calling thread, in order, until the reader
         * ends; then throws what ended it, if anything did, as a direct drain would.
         */
        void finish(EventSink sink) throws IOException {
            if (ended) {
                throw new IllegalStateException("the reading has ended");
            }
            ended = true;
            Throwable readerFailure;
            try {
                readerFailure = ring.drainTo(sink);
            } catch (RuntimeException | Error e) {
                stop();
                throw e;
            }
            join(reader);
            if (readerFailure != null) {
                throw rethrown(readerFailure);
            }
        }

        /**
         * Stops the reading, its events unused (the reader ends at its next refill, or at once
         * when the ring is full), and closes the source if it was opened; nothing once the
         * reading was finished.
         */
        void abandon() throws IOException {
            if (ended) {
                return;
            }
            ended = true;
            stop();
            EventSource source = openedSource(); // after the join the open has ended, one way or the other
            if (source != null) {
                source.close();
            }
        }

        /**
         * Ends the reader thread early: the ring's cancellation ends it when it waits for room,
         * and the source's stop at its next refill, which with a large ring ({@link EarlyReading})
         * comes much sooner. Cancelled first: a reader that opens its source after this sees it
         * and reads nothing; one that opened it before is asked to stop here (its source is known
         * by now).
         */
        private void stop() throws InterruptedIOException {
            ring.cancel();
            EventSource source = openedSource();
            if (source != null) {
                source.requestStop();
            }
            join(reader);
        }

        /** The source if the reader thread has opened it by now, else null (not yet, or it failed). */
        private EventSource openedSource() {
            return opened.isDone() && !opened.isCompletedExceptionally() ? opened.join() : null;
        }
    }

    /** What ended a reader thread, as the direct drain would have thrown it (drainTo declares only IOException). */
    private static IOException rethrown(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        return new IOException(failure);
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
