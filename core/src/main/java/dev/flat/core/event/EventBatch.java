package dev.flat.core.event;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Events read ahead of a source's own thread, from a stretch of its input that the source then
 * passes over: the source hands the whole batch on in that place ({@link EventSink#onBatch}), so
 * that its events reach the sink in capture order. The events are encoded records, {@value
 * EventRecord#ENCODED_LENGTH} bytes each, in one heap buffer allocated once; an event beyond the
 * capacity is not kept but marks the batch {@link #overflowed}, and such a batch must not be
 * handed on.
 *
 * <p>Filled by one thread, handed on by another and drained by a third (or the first again): the
 * hand-offs are ordered by whatever publishes the batch between them, and {@link #drained} tells
 * the filling thread when it may {@link #clear} and fill it again.
 */
public final class EventBatch implements EventSink {
    private static final int LENGTH = EventRecord.ENCODED_LENGTH;

    private final ByteBuffer events;
    private final int capacity;
    private final EventRecord view = new EventRecord();
    private int count;
    private boolean overflowed;
    private volatile boolean drained;

    public EventBatch(int capacity) {
        if (capacity <= 0 || capacity > Integer.MAX_VALUE / LENGTH) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.events = ByteBuffer.allocate(capacity * LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Keeps a copy of the event, or marks the batch overflowed when it is full. */
    @Override
    public void onEvent(EventRecord event) {
        if (count == capacity) {
            overflowed = true;
            return;
        }
        events.put(count * LENGTH, event.buffer(), event.offset(), LENGTH);
        count++;
    }

    /** Hands every event to the sink in order, then marks the batch {@link #drained}. */
    public void drainTo(EventSink sink) {
        for (int i = 0; i < count; i++) {
            sink.onEvent(view.wrap(events, i * LENGTH));
        }
        drained = true;
    }

    /** Empties the batch for filling again. */
    public void clear() {
        count = 0;
        overflowed = false;
        drained = false;
    }

    public int size() { return count; }
    public int capacity() { return capacity; }
    /** Whether an event was offered when the batch was full: it is then incomplete. */
    public boolean overflowed() { return overflowed; }
    /** Whether {@link #drainTo} has handed its events on since the last {@link #clear}. */
    public boolean drained() { return drained; }
}
