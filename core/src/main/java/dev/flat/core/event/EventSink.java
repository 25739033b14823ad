package dev.flat.core.event;

/**
 * Receives event records one at a time. The record (and the bytes under it) belongs to the caller
 * and is valid only for the duration of the call: a sink that keeps anything copies it.
 */
@FunctionalInterface
public interface EventSink {
    void onEvent(EventRecord event);

    /**
     * Receives, in this place of the sequence, every event of a batch read ahead of the source's
     * own thread. A sink that hands events on to another thread (the reader's ring) passes the
     * batch itself; any other takes its events one at a time, as here.
     */
    default void onBatch(EventBatch batch) {
        batch.drainTo(this);
    }
}
