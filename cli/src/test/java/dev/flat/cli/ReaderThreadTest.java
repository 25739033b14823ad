package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventBatch;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import dev.flat.core.input.ReadAhead;
import dev.flat.core.input.SkipReason;
import dev.flat.replay.Inputs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            // Abandoned while it drains, the case under test: abandoned before, the reader would
            // see the cancelled ring after opening and never drain at all (the next test), and
            // drainTo's end would not be there to see (a clean-clone test run failed so).
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                while (!source.drained.get()) {
                    Thread.onSpinWait();
                }
            });
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

    /** Event {@code i} as {@link NumberedSource} makes it, in the record's own buffer. */
    private static void number(EventRecord record, long i) {
        ByteBuffer b = record.buffer();
        for (int k = 0; k < EventRecord.ENCODED_LENGTH; k++) {
            b.put(record.offset() + k, (byte) (i + k));
        }
        b.putLong(record.offset() + EventRecord.TS_NS_OFFSET, i);
    }

    /**
     * {@link NumberedSource}'s events in stretches of {@value #STRETCH}, which the consuming
     * thread may make ahead ({@link ReadAhead}) into one of four batches; the reader hands a batch
     * made for the stretch it has reached on in the stretch's place, and makes the events itself
     * otherwise. At every third stretch it waits (up to 5 s) for the batch, so that some are
     * certainly made ahead. Mirrors replay's CaptureReadAhead, whose own tests prove its records.
     */
    private static final class ReadAheadSource implements EventSource, ReadAhead {
        static final int STRETCH = 1000;
        private static final int FREE = 0;
        private static final int READY = 1;
        private static final int HANDED_ON = 2;
        final int count;
        final EventBatch[] batches = new EventBatch[4];
        final long[] stretchOf = new long[4];
        final AtomicIntegerArray state = new AtomicIntegerArray(4);
        volatile long readerAt;
        long nextStretch = 1; // the consumer's
        int handedOn; // the reader's
        boolean handedLast; // the reader's
        final EventRecord scratch = EventRecord.allocate(); // the consumer's
        final Set<Thread> helpers = ConcurrentHashMap.newKeySet();

        ReadAheadSource(int count) {
            this.count = count;
            for (int k = 0; k < 4; k++) {
                batches[k] = new EventBatch(STRETCH);
            }
        }

        @Override
        public ReadAhead readAhead() { return this; }

        @Override
        public boolean readNext() {
            helpers.add(Thread.currentThread());
            long j = Math.max(nextStretch, readerAt / STRETCH + 1);
            if ((j + 1) * STRETCH > count) {
                return false;
            }
            int slot = (int) (j % 4);
            int st = state.get(slot);
            if (st == READY || st == HANDED_ON && !batches[slot].drained()) {
                return false;
            }
            batches[slot].clear();
            for (long i = j * STRETCH; i < (j + 1) * STRETCH; i++) {
                number(scratch, i);
                batches[slot].onEvent(scratch);
            }
            stretchOf[slot] = j;
            state.set(slot, READY);
            nextStretch = j + 1;
            return true;
        }

        @Override
        public void drainTo(EventSink sink, InputStats stats) {
            EventRecord record = EventRecord.allocate();
            for (long i = 0; i < count; ) {
                if (i % STRETCH == STRETCH / 2) {
                    readerAt = i;
                }
                if (i % STRETCH == 0 && i > 0) {
                    long j = i / STRETCH;
                    int slot = (int) (j % 4);
                    if (state.get(slot) == READY && stretchOf[slot] < j) {
                        // Made too late: passed over, and freed before the wait below, since
                        // the consumer cannot make stretch j in a slot that is still READY
                        // (waiting first stalled each such stretch for the whole 5 s).
                        state.set(slot, FREE);
                    }
                    // Waits only after a stretch it made itself: the ring has published every batch
                    // handed on before it (a full ring batch of events since), so the consumer can
                    // drain them and reuse their batches. The reader of a real source never waits.
                    long waitUntil = j % 3 == 0 && !handedLast ? System.nanoTime() + 5_000_000_000L : 0;
                    while (!(state.get(slot) == READY && stretchOf[slot] >= j) && System.nanoTime() < waitUntil) {
                        Thread.onSpinWait();
                    }
                    if (state.get(slot) == READY && stretchOf[slot] == j) {
                        state.set(slot, HANDED_ON);
                        for (int k = 0; k < STRETCH; k++) {
                            stats.skip(SkipReason.values()[0]);
                        }
                        sink.onBatch(batches[slot]);
                        handedOn++;
                        handedLast = true;
                        i += STRETCH;
                        continue;
                    }
                }
                number(record, i);
                stats.skip(SkipReason.values()[0]);
                sink.onEvent(record);
                handedLast = false;
                i++;
            }
        }

        @Override
        public InterfaceNames interfaces() { return new InterfaceNames(); }

        @Override
        public void close() {}
    }

    @Test
    void batchesMadeAheadOnTheConsumingThreadArriveInTheirPlace() throws IOException {
        ReadAheadSource source = new ReadAheadSource(EVENTS);
        OrderCheck sink = new OrderCheck();
        InputStats stats = new InputStats();
        Thread consumer = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            ReaderThread.drain(source, sink, stats);
            return Thread.currentThread();
        });
        assertEquals(EVENTS, sink.next);
        assertEquals(EVENTS, stats.skipped(SkipReason.values()[0]));
        assertTrue(source.handedOn >= EVENTS / ReadAheadSource.STRETCH / 6, source.handedOn + " batches handed on");
        assertEquals(Set.of(consumer), source.helpers, "made ahead on the consuming thread only");
    }

    /**
     * A classic pcap file large enough to be mapped is read with stretches read ahead by the
     * consuming thread (a fast sink leaves it idle, so it reads ahead often): the events and
     * counts are those of one thread reading it alone.
     */
    @Test
    void aLargePcapReadOnTwoThreadsGivesWhatOneReaderGives(@TempDir Path dir) throws IOException {
        RepeatedLab lab = RepeatedLab.load();
        Path file = lab.write(dir.resolve("large.pcap"), 2000, false);
        assertTrue(Files.size(file) >= 4 * ReaderThread.MIN_BYTES);
        Digest alone = new Digest();
        InputStats aloneStats = new InputStats();
        try (EventSource source = Inputs.open(file)) {
            source.drainTo(alone, aloneStats);
        }
        for (int run = 0; run < 3; run++) {
            Digest twoThreads = new Digest();
            InputStats stats = new InputStats();
            try (EventSource source = Inputs.open(file)) {
                assertNotNull(source.readAhead(), "a mapped pcap offers to be read ahead");
                ReaderThread.drain(source, twoThreads, stats);
            }
            assertEquals(alone.events, twoThreads.events);
            assertEquals(alone.hash, twoThreads.hash, "the same events in the same order");
            assertEquals(aloneStats.packets(), stats.packets());
            assertEquals(aloneStats.skippedByReason(), stats.skippedByReason());
            assertEquals(aloneStats.warnings(), stats.warnings());
        }
    }

    /** An order-dependent hash of every event's bytes. */
    private static final class Digest implements EventSink {
        long events;
        long hash;

        @Override
        public void onEvent(EventRecord e) {
            events++;
            for (int k = 0; k < EventRecord.ENCODED_LENGTH; k += 8) {
                hash = hash * 1_000_003L + e.buffer().getLong(e.offset() + k);
            }
        }
    }
}
