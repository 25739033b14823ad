package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import dev.flat.core.input.SkipReason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReaderThreadTest {
    /** Many times the ring, not a multiple of its batch: wrap-around, full ring, partial last batch. */
    private static final int EVENTS = 25 * EventRing.SLOTS + 77;

    /**
     * Emits {@code count} records numbered 0, 1, ... in the timestamp and every other byte, from
     * records at varying offsets of one buffer (as a reader's chunk would), then fails if told to.
     */
    private static final class NumberedSource implements EventSource {
        private final int count;
        private final IOException failure;
        final AtomicBoolean ended = new AtomicBoolean();

        NumberedSource(int count, IOException failure) {
            this.count = count;
            this.failure = failure;
        }

        @Override
        public void drainTo(EventSink sink, InputStats stats) throws IOException {
            ByteBuffer chunk = ByteBuffer.allocate(EventRecord.ENCODED_LENGTH * 3).order(ByteOrder.LITTLE_ENDIAN);
            EventRecord record = EventRecord.allocate();
            try {
                for (int i = 0; i < count; i++) {
                    int offset = (i % 3) * EventRecord.ENCODED_LENGTH;
                    for (int b = 0; b < EventRecord.ENCODED_LENGTH; b++) {
                        chunk.put(offset + b, (byte) (i + b));
                    }
                    chunk.putLong(offset + EventRecord.TS_NS_OFFSET, i);
                    stats.skip(SkipReason.values()[0]); // the reader's counting reaches the caller
                    sink.onEvent(record.wrap(chunk, offset));
                }
                if (failure != null) {
                    throw failure;
                }
            } finally {
                ended.set(true);
            }
        }

        @Override
        public InterfaceNames interfaces() { return new InterfaceNames(); }

        @Override
        public void close() {}
    }

    /** Checks that records arrive complete and in order. */
    private static final class OrderCheck implements EventSink {
        long next;

        @Override
        public void onEvent(EventRecord e) {
            assertEquals(next, e.tsNs(), "events in order");
            for (int b = 0; b < EventRecord.ENCODED_LENGTH; b++) {
                if (b < EventRecord.TS_NS_OFFSET || b >= EventRecord.TS_NS_OFFSET + 8) {
                    assertEquals((byte) (next + b), e.buffer().get(e.offset() + b), "byte " + b + " of event " + next);
                }
            }
            next++;
        }
    }

    @Test
    void handsOnEveryEventInOrderAndTheReadersCounts() throws IOException {
        OrderCheck sink = new OrderCheck();
        InputStats stats = new InputStats();
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ReaderThread.drain(new NumberedSource(EVENTS, null), sink, stats));
        assertEquals(EVENTS, sink.next);
        assertEquals(EVENTS, stats.skipped(SkipReason.values()[0]));
    }

    @Test
    void theReadersExceptionComesAfterTheEventsReadBeforeIt() {
        InputException bad = new InputException("x.pcap", 1234, "garbage");
        OrderCheck sink = new OrderCheck();
        IOException thrown = assertThrows(IOException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ReaderThread.drain(new NumberedSource(EVENTS, bad), sink, new InputStats())));
        assertSame(bad, thrown);
        assertEquals(EVENTS, sink.next, "every event read before the failure was handed on");
    }

    @Test
    void aFailingSinkStopsTheReader() {
        NumberedSource source = new NumberedSource(EVENTS, null);
        IllegalStateException boom = new IllegalStateException("disk full");
        EventSink failing = e -> {
            if (e.tsNs() == 1000) {
                throw boom;
            }
        };
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> ReaderThread.drain(source, failing, new InputStats())));
        assertSame(boom, thrown);
        assertEquals(true, source.ended.get(), "the reader ended before drain returned");
    }

    /** Emits events until asked to stop, counting how often it is closed. */
    private static final class EndlessSource implements EventSource {
        private final boolean emits;
        volatile boolean stopRequested;
        final AtomicBoolean drained = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();
        final AtomicInteger closed = new AtomicInteger();

        EndlessSource(boolean emits) {
            this.emits = emits;
        }

        @Override
        public void drainTo(EventSink sink, InputStats stats) {
            drained.set(true);
            EventRecord record = EventRecord.allocate();
            try {
                while (!stopRequested) {
                    if (emits) {
                        sink.onEvent(record);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } finally {
                ended.set(true);
            }
        }

        @Override
        public void requestStop() { stopRequested = true; }

        @Override
        public InterfaceNames interfaces() { return new InterfaceNames(); }

        @Override
        public void close() { closed.incrementAndGet(); }
    }

    @Test
    void anAbandonedReadingEndsWhetherItsRingIsFullOrNotAndItsSourceIsClosed() {
        for (boolean emits : new boolean[] {true, false}) {
            EndlessSource source = new EndlessSource(emits);
            ReaderThread.Reading reading = ReaderThread.start(() -> source, new InputStats(), EventRing.SLOTS);
            assertTimeoutPreemptively(Duration.ofSeconds(60), reading::abandon);
            assertEquals(true, source.ended.get(), "the reader ended before abandon returned");
            assertEquals(1, source.closed.get());
            assertTimeoutPreemptively(Duration.ofSeconds(60), reading::abandon); // a second time: nothing
            assertEquals(1, source.closed.get());
            assertThrows(IllegalStateException.class, () -> reading.finish(e -> { }));
        }
    }

    @Test
    void aReadingAbandonedWhileItOpensItsSourceReadsNothing() {
        CountDownLatch mayOpen = new CountDownLatch(1);
        EndlessSource source = new EndlessSource(true);
        ReaderThread.Reading reading = ReaderThread.start(() -> {
            try {
                mayOpen.await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            return source;
        }, new InputStats(), EventRing.SLOTS);
        Thread abandoning = new Thread(() -> {
            try {
                reading.abandon();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            abandoning.start();
            while (abandoning.getState() != Thread.State.WAITING) { // joining the reader: cancelled by now
                Thread.onSpinWait();
            }
            mayOpen.countDown();
            abandoning.join();
        });
        assertEquals(false, source.drained.get(), "nothing read after the reading was abandoned");
        assertEquals(1, source.closed.get());
    }

    @Test
    void aFailingSinkStopsTheSourceRatherThanWaitForAFullRing() {
        EndlessSource source = new EndlessSource(true);
        // The early reading's ring: a reader ended only by a full ring would read 2^18 events more.
        ReaderThread.Reading reading = ReaderThread.start(() -> source, new InputStats(), EarlyReading.RING_SLOTS);
        IllegalStateException boom = new IllegalStateException("broken pipe");
        long[] seen = new long[1];
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> reading.finish(e -> {
                    if (++seen[0] == 1000) {
                        throw boom;
                    }
                })));
        assertSame(boom, thrown);
        assertEquals(true, source.ended.get(), "the reader ended before finish returned");
        assertEquals(true, source.stopRequested, "stopped through its source, not by a full ring");
    }

    @Test
    void abandoningAFinishedReadingChangesNothing() throws IOException {
        NumberedSource source = new NumberedSource(EVENTS, null);
        ReaderThread.Reading reading = ReaderThread.start(() -> source, new InputStats(), 4 * EventRing.SLOTS);
        OrderCheck sink = new OrderCheck();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> reading.finish(sink));
        assertEquals(EVENTS, sink.next, "a larger ring hands on the same events");
        reading.abandon();
        assertSame(source, reading.source());
    }

    @Test
    void whatFailsToOpenTheSourceIsThrownByBothSourceAndFinish() {
        InputException bad = new InputException("x.pcap", 0, "unknown format");
        ReaderThread.Reading reading = ReaderThread.start(() -> {
            throw bad;
        }, new InputStats(), EventRing.SLOTS);
        assertSame(bad, assertThrows(IOException.class, reading::source));
        assertSame(bad, assertThrows(IOException.class, () -> reading.finish(e -> { })));
    }

    @Test
    void aRingHoldsAPowerOfTwoOfAtLeastTheDefaultSlots() {
        assertThrows(IllegalArgumentException.class, () -> new EventRing(EventRing.SLOTS / 2));
        assertThrows(IllegalArgumentException.class, () -> new EventRing(EventRing.SLOTS * 3));
        new EventRing(EventRing.SLOTS * 2);
    }
}
