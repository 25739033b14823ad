package dev.flat.core.input;

/**
 * Work a source offers to the thread that consumes its events, for the moments that thread would
 * otherwise wait for the source's own reading thread: reading a later stretch of the input on the
 * consuming thread, which the source then hands on as one {@link dev.flat.core.event.EventBatch}
 * in the stretch's place instead of reading it itself. The events and counts are the same as
 * when the source reads everything; only who read which stretch differs.
 */
public interface ReadAhead {
    /**
     * Reads one stretch ahead, on the calling thread. False when there is nothing to do now (the
     * stretches already read are not yet handed on, or the source's thread is near the end): the
     * caller then waits as it would have. Never throws: a stretch it cannot read is left to the
     * source's own thread, which reports whatever is wrong there as it always did.
     */
    boolean readNext();
}
