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
 * Each side publishes its position with a release store and reads the other's with an acquire
 * load, and only once per batch, so the two cores do not bounce the counters' cache line per
 * event. A side that finds nothing to do (ring full, ring empty) spins briefly, then parks for
 * {@value #PARK_NS} ns at a time: on a 2-CPU machine a long spin would take the other thread's core.
 *
 * <p>Ending: the producer calls {@link #finish} (with the reader's exception, if any), after which
 * the consumer returns once it has handed on every published event. Cancelling: if the consumer
 * fails, {@link #cancel} makes the producer throw as soon as it waits for space (at the latest
 * {@value #SLOTS} events later), which ends the reader.
 */
final class EventRing implements EventSink {
    static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    private static final int SLOT_BYTES = EventRecord.ENCODED_LENGTH;
    static final int BATCH = 256;
    private static final int SPINS = 100;
    private static final long PARK_NS = 50_000;
    /** A full ring waits until this many slots are free, so that a slower consumer does not wake the producer per batch. */
    private static final int RESUME_WHEN_FREE = SLOTS / 4;

    private final ByteBuffer slots = ByteBuffer.allocate(SLOTS * SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    /** Events the producer has made visible. */
    private final AtomicLong published = new AtomicLong();
    /** Events the consumer has handed on: their slots may be reused. */
    private final AtomicLong released = new AtomicLong();
    private volatile boolean finished;
    private volatile boolean cancelled;
    private volatile Throwable failure;

    // producer's own
    private long written;
    private long freeUpTo = SLOTS;

    /** Producer: copies the record into the next slot, waiting while the ring is full. */
    @Override
    public void onEvent(EventRecord event) {
        if (written == freeUpTo) {
            publish();
            freeUpTo = awaitSpace();
        }
        slots.put((int) (written & MASK) * SLOT_BYTES, event.buffer(), event.offset(), SLOT_BYTES);
        if (++written % BATCH == 0) {
            publish();
        }
    }

    /** Producer: no more events; {@code error} (or null) is what ended the reading. */
    void finish(Throwable error) {
        failure = error;
        publish();
        finished = true; // after the last publication: a consumer that sees it has seen every event
    }

    /** Consumer: stop the producer (it throws {@link CancellationException} once the ring is full). */
    void cancel() {
        cancelled = true;
    }

    /**
     * Consumer: hands every event to the sink, in order, until the producer has finished.
     *
     * @return the producer's failure, or null when it read to the end
     */
    Throwable drainTo(EventSink sink) {
        EventRecord view = EventRecord.allocate();
        long next = 0;
        int idle = 0;
        while (true) {
            long available = published.getAcquire();
            if (next == available) {
                if (finished && next == published.getAcquire()) {
                    return failure;
                }
                idle = pause(idle);
                continue;
            }
            idle = 0;
            while (next < available) {
                sink.onEvent(view.wrap(slots, (int) (next & MASK) * SLOT_BYTES));
                if (++next % BATCH == 0) {
                    released.setRelease(next);
                }
            }
            released.setRelease(next);
        }
    }

    private void publish() {
        published.setRelease(written);
    }

    private long awaitSpace() {
        int idle = 0;
        while (true) {
            if (cancelled) {
                throw new CancellationException("the consumer of the events stopped");
            }
            long free = released.getAcquire() + SLOTS;
            if (free - written >= RESUME_WHEN_FREE) {
                return free;
            }
            idle = pause(idle);
        }
    }

    private static int pause(int idle) {
        if (idle < SPINS) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(PARK_NS);
        }
        return idle + 1;
    }
}
