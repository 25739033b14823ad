package dev.flat.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBatchTest {
    private static EventRecord event(long tsNs) {
        EventRecord e = EventRecord.allocate();
        e.buffer().putLong(EventRecord.TS_NS_OFFSET, tsNs);
        e.buffer().put(EventRecord.TYPE_OFFSET, (byte) EventRecord.TYPE_PACKET);
        return e;
    }

    @Test
    void keepsCopiesAndHandsThemOnInOrder() {
        EventBatch batch = new EventBatch(3);
        EventRecord reused = event(1);
        batch.onEvent(reused);
        reused.buffer().putLong(EventRecord.TS_NS_OFFSET, 2); // the caller's record changes: the copy does not
        batch.onEvent(reused);
        List<Long> seen = new ArrayList<>();
        assertFalse(batch.drained());
        batch.drainTo(e -> seen.add(e.tsNs()));
        assertEquals(List.of(1L, 2L), seen);
        assertTrue(batch.drained());
        assertFalse(batch.overflowed());
    }

    @Test
    void anEventBeyondTheCapacityMarksItOverflowedUntilCleared() {
        EventBatch batch = new EventBatch(2);
        for (int i = 0; i < 3; i++) {
            batch.onEvent(event(i));
        }
        assertEquals(2, batch.size());
        assertTrue(batch.overflowed());
        batch.drainTo(e -> { });
        batch.clear();
        assertEquals(0, batch.size());
        assertFalse(batch.overflowed());
        assertFalse(batch.drained());
    }

    @Test
    void aSinkTakesABatchOneEventAtATimeUnlessItPassesItOn() {
        EventBatch batch = new EventBatch(4);
        batch.onEvent(event(7));
        batch.onEvent(event(8));
        List<Long> seen = new ArrayList<>();
        EventSink sink = e -> seen.add(e.tsNs());
        sink.onBatch(batch);
        assertEquals(List.of(7L, 8L), seen);
        assertTrue(batch.drained());
    }

    @Test
    void capacityIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> new EventBatch(0));
        assertThrows(IllegalArgumentException.class, () -> new EventBatch(Integer.MAX_VALUE / 10));
    }
}
