package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import org.junit.jupiter.api.Test;

class InterruptionTest {
    /** Counts the stop requests it gets. */
    private static final class StoppableSource implements EventSource {
        int stopRequests;

        @Override
        public void drainTo(EventSink sink, InputStats stats) {}

        @Override
        public void requestStop() { stopRequests++; }

        @Override
        public InterfaceNames interfaces() { return new InterfaceNames(); }

        @Override
        public void close() {}
    }

    @Test
    void aRequestWhileAFileIsReadStopsThatSource() {
        Interruption interruption = new Interruption();
        StoppableSource source = new StoppableSource();
        assertTrue(interruption.startReading(source));
        interruption.request();
        assertEquals(1, source.stopRequests);
        assertTrue(interruption.requested());
    }

    @Test
    void aRequestBetweenFilesKeepsTheNextOneFromBeingRead() {
        Interruption interruption = new Interruption();
        StoppableSource first = new StoppableSource();
        interruption.startReading(first);
        interruption.doneReading();
        interruption.request();
        assertEquals(0, first.stopRequests, "a source read to its end is not stopped afterwards");
        assertFalse(interruption.startReading(new StoppableSource()));
    }

    @Test
    void noRequestNoStop() {
        Interruption interruption = new Interruption();
        StoppableSource source = new StoppableSource();
        assertTrue(interruption.startReading(source));
        interruption.doneReading();
        assertFalse(interruption.requested());
        assertEquals(0, source.stopRequests);
    }
}
