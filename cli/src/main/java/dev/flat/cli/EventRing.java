package dev.flat.cli;

import dev.flat.core.event.EventBatch;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.ReadAhead;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands event records from one thread (the capture reader) to another (filter, matcher and
 * reports), in order, through a bounded single-producer/single-consumer ring of pre-allocated
 * 80-byte slots: an event costs a copy of its record and no allocation.
 *
 * <pre>
 *   reader thread                                  consuming thread
 *   onEvent(record) → copy into slot[tail % N]     drainTo(sink): sink.onEvent(view of slot[head % N])
 *   publish tail every {@value #BATCH} events       release head every {@value #BATCH} events
 * </pre>
 *
 * Each side publishes its position once per batch, so the two cores do not bounce the counters'
 * cache line per event. A side that finds nothing to do (ring full, ring empty) spins briefly,
 * then says so in a flag and parks until the other side, which checks the flag once per batch,
 * unparks it: a full ring waits until a quarter of it is free, an empty one until a quarter of
 * it is filled (or the reader has finished). Signalled waits replaced 50 µs timed parks, which on the 10 M-packet benchmark made 70 000
 * futex calls and cost the reader about 2 s of system time (docs/performance.md). A park is
 * also bounded by {@value #PARK_LIMIT_NS} ns, so that a wake-up lost to a race costs a
 * millisecond, never a hang.
 *
 * <p>A batch of events read ahead ({@link #onBatch}) takes one slot, which stays unwritten: the
 * batch itself goes into a small queue beside the ring with the position of its slot, and the
 * consumer hands its events on when it reaches that position. While fewer than {@value
 * #HELP_WHILE_FEWER} events wait, the consumer does the source's {@link ReadAhead} work, if the
 * source offers any ({@link #helpWith}), and waits for events only when there is none.
 *
 * <p>Ending: the producer calls {@link #finish} (with the reader's exception, if any), after which
 * the consumer returns once it has handed on every published event. Cancelling: if the consumer
 * fails, {@link #cancel} makes the producer throw as soon as it waits for space (at the latest
 * {@value #SLOTS} events later), which ends the reader.
 */
final class EventRing implements EventSink {
    /** 16 384 × 80 bytes = 1.25 MiB: room for the consumer's slow moments (a report flush) without stopping the reader. */
    static final int SLOTS = 16_384;
    private static final int SLOT_BYTES = EventRecord.ENCODED_LENGTH;
    static final int BATCH = 256;
    private static final int SPINS = 200;
    private static final long PARK_LIMIT_NS = 1_000_000;
    /**
     * A full ring waits until this many slots are free, so that a slower consumer wakes the
     * producer once per quarter of a {@link #SLOTS}-slot ring, not per batch; the same in a larger ring.
     */
    private static final int RESUME_WHEN_FREE = SLOTS / 4;
    /** Likewise an idle consumer is woken once this many events wait (or at the end, or after {@link #PARK_LIMIT_NS}). */
    private static final int WAKE_CONSUMER_AT = SLOTS / 4;
    /**
     * The consumer does the source's {@link ReadAhead} work while fewer events than this wait
     * (about a millisecond of its own work): the reader is then keeping it barely busy, and the
     * work makes the reader faster without the consumer ever leaving it waiting for room.
     */
    private static final int HELP_WHILE_FEWER = SLOTS / 4;

    private final int capacity;
    private final int mask;
    private final ByteBuffer slots;
    /** Events the producer has made visible. */
    private final AtomicLong published = new AtomicLong();
    /** Events the consumer has handed on: their slots may be reused. */
    private final AtomicLong released = new AtomicLong();
    private volatile boolean finished;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    /** Set by a side before it parks; the other side unparks it (see the class comment). */
    private volatile Thread parkedProducer;
    private volatile Thread parkedConsumer;
    /** What the consumer does instead of waiting, or null; set by the producer once it knows its source. */
    private volatile ReadAhead readAhead;

    /**
     * Batches handed on and the positions of their slots, {@link #batchesQueued} of them so far:
     * written by the producer before it publishes the slot, so a consumer that sees the slot
     * published sees its entry. Only {@value #BATCH_QUEUE} may wait at once (a source has that
     * many batches at most, since it refills one only after it was drained).
     */
    private static final int BATCH_QUEUE = 16;
    private final EventBatch[] batches = new EventBatch[BATCH_QUEUE];
    private final long[] batchSlots = new long[BATCH_QUEUE];
    private volatile long batchesQueued;
    /** Batches the consumer has taken from the queue (read by the producer to check that the queue has room). */
    private volatile long batchesTaken;

    // producer's own
    private long written;
    private long freeUpTo;

    EventRing() {
        this(SLOTS);
    }

    /** A ring of {@code capacity} slots, a power of two of at least {@link #SLOTS}. */
    EventRing(int capacity) {
        if (capacity < SLOTS || Integer.bitCount(capacity) != 1 || capacity > Integer.MAX_VALUE / SLOT_BYTES) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slots = ByteBuffer.allocate(capacity * SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.freeUpTo = capacity;
    }

    /** Producer: copies the record into the next slot, waiting while the ring is full. */
    @Override
    public void onEvent(EventRecord event) {
        awaitSlot();
        slots.put((int) (written & mask) * SLOT_BYTES, event.buffer(), event.offset(), SLOT_BYTES);
        slotWritten();
    }

    /** Producer: hands the batch on in the next slot, waiting while the ring is full. */
    @Override
    public void onBatch(EventBatch batch) {
        if (batchesQueued - batchesTaken == BATCH_QUEUE) {
            throw new IllegalStateException("more than " + BATCH_QUEUE + " batches waiting");
        }
        awaitSlot();
        int q = (int) (batchesQueued % BATCH_QUEUE);
        batches[q] = batch;
        batchSlots[q] = written;
        batchesQueued++;
        slotWritten();
    }

    /** Producer: waits, if the ring is full, until slot {@code written} is free. */
    private void awaitSlot() {
        if (written == freeUpTo) {
            publish();
            freeUpTo = awaitSpace();
        }
    }

    /** Producer: counts the slot written, publishing once per batch. */
    private void slotWritten() {
        if (++written % BATCH == 0) {
            publish();
        }
    }

    /** Producer: what the consumer may do while it waits for events (see {@link ReadAhead}); null for nothing. */
    void helpWith(ReadAhead work) {
        readAhead = work;
    }

    /** Producer: no more events; {@code error} (or null) is what ended the reading. */
    void finish(Throwable error) {
        failure = error;
        published.set(written);
        finished = true; // after the last publication: a consumer that sees it has seen every event
        wake(parkedConsumer);
    }

    /** Consumer: stop the producer (it throws {@link CancellationException} once the ring is full). */
    void cancel() {
        cancelled = true;
        wake(parkedProducer);
    }

    /** Whether {@link #cancel} was called. */
    boolean cancelled() { return cancelled; }

    /**
     * Consumer: hands every event to the sink, in order, until the producer has finished.
     *
     * @return the producer's failure, or null when it read to the end
     */
    Throwable drainTo(EventSink sink) {
        EventRecord view = EventRecord.allocate();
        long next = 0;
        long taken = 0;
        long batchSlot = Long.MAX_VALUE; // the slot of the next batch, once known
        while (true) {
            long available = published.get();
            if (available - next < HELP_WHILE_FEWER && !finished) {
                ReadAhead work = readAhead;
                if (work != null && work.readNext()) {
                    continue;
                }
            }
            if (next == available) {
                if (finished && next == published.get()) {
                    return failure;
                }
                awaitEvents(next);
                continue;
            }
            if (batchSlot == Long.MAX_VALUE && taken < batchesQueued) {
                batchSlot = batchSlots[(int) (taken % BATCH_QUEUE)];
            }
            while (next < available) {
                if (next == batchSlot) {
                    EventBatch batch = batches[(int) (taken % BATCH_QUEUE)];
                    batches[(int) (taken % BATCH_QUEUE)] = null;
                    batchesTaken = ++taken;
                    batchSlot = taken < batchesQueued ? batchSlots[(int) (taken % BATCH_QUEUE)] : Long.MAX_VALUE;
                    batch.drainTo(sink);
                } else {
                    sink.onEvent(view.wrap(slots, (int) (next & mask) * SLOT_BYTES));
                }
                if (++next % BATCH == 0) {
                    release(next);
                }
            }
            release(next);
        }
    }

    private void publish() {
        published.set(written); // a volatile store: ordered before the flag read below (no lost wake-up)
        Thread consumer = parkedConsumer;
        if (consumer != null && written - released.get() >= WAKE_CONSUMER_AT) {
            wake(consumer);
        }
    }

    private void release(long upTo) {
        released.set(upTo);
        Thread producer = parkedProducer;
        if (producer != null && upTo + capacity - written() >= RESUME_WHEN_FREE) {
            wake(producer);
        }
    }

    /** The producer's position as the consumer may read it: at least what it has published. */
    private long written() { return published.get(); }

    private long awaitSpace() {
        int spins = 0;
        while (true) {
            if (cancelled) {
                throw new CancellationException("the consumer of the events stopped");
            }
            long free = released.get() + capacity;
            if (free - written >= RESUME_WHEN_FREE) {
                return free;
            }
            if (spins++ < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            parkedProducer = Thread.currentThread();
            if (released.get() + capacity - written < RESUME_WHEN_FREE && !cancelled) { // re-check after the flag
                LockSupport.parkNanos(this, PARK_LIMIT_NS);
            }
            parkedProducer = null;
        }
    }

    private void awaitEvents(long next) {
        for (int spins = 0; spins < SPINS; spins++) {
            if (published.get() != next || finished) {
                return;
            }
            Thread.onSpinWait();
        }
        parkedConsumer = Thread.currentThread();
        if (published.get() == next && !finished) { // re-check after the flag
            LockSupport.parkNanos(this, PARK_LIMIT_NS);
        }
        parkedConsumer = null;
    }

    private static void wake(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
