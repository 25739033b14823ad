package dev.flat.cli;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
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
        if (written == freeUpTo) {
            publish();
            freeUpTo = awaitSpace();
        }
        slots.put((int) (written & mask) * SLOT_BYTES, event.buffer(), event.offset(), SLOT_BYTES);
        if (++written % BATCH == 0) {
            publish();
        }
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
        while (true) {
            long available = published.get();
            if (next == available) {
                if (finished && next == published.get()) {
                    return failure;
                }
                awaitEvents(next);
                continue;
            }
            while (next < available) {
                sink.onEvent(view.wrap(slots, (int) (next & mask) * SLOT_BYTES));
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
