package dev.flat.core.event;

/**
 * Receives event records one at a time. The record (and the bytes under it) belongs to the caller
 * and is valid only for the duration of the call: a sink that keeps anything copies it.
 */
@FunctionalInterface
public interface EventSink {
    void onEvent(EventRecord event);
}
