package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatcherConfigTest {
    @Test
    void defaults() {
        MatcherConfig c = MatcherConfig.defaults();
        assertEquals(10_000_000_000L, c.timeoutNs());
        assertEquals(65_536, c.maxPending());
        assertEquals(EnumSet.allOf(Kind.class), c.kinds());
    }

    @Test
    void rejectsWhatCannotWork() {
        Set<Kind> all = EnumSet.allOf(Kind.class);
        assertThrows(IllegalArgumentException.class, () -> new MatcherConfig(0, 10, all));
        assertThrows(IllegalArgumentException.class, () -> new MatcherConfig(-1, 10, all));
        assertThrows(IllegalArgumentException.class, () -> new MatcherConfig(1, 0, all));
        assertThrows(IllegalArgumentException.class, () -> new MatcherConfig(1, MatcherConfig.MAX_MAX_PENDING + 1, all));
        assertThrows(IllegalArgumentException.class, () -> new MatcherConfig(1, 10, EnumSet.noneOf(Kind.class)));
        assertThrows(NullPointerException.class, () -> new MatcherConfig(1, 10, null));
    }

    @Test
    void kindsAreCopiedAndUnmodifiable() {
        Set<Kind> kinds = EnumSet.of(Kind.TCP);
        MatcherConfig c = new MatcherConfig(1, 1, kinds);
        kinds.add(Kind.DNS);

        assertEquals(Set.of(Kind.TCP), c.kinds());
        assertThrows(UnsupportedOperationException.class, () -> c.kinds().add(Kind.UDP));
    }

    @Test
    void aOneEntryTableWorks() {
        Harness h = new Harness(new MatcherConfig(1_000_000_000L, 1, EnumSet.allOf(Kind.class)));
        h.feed(Events.syn("10.0.0.1", 1, "10.0.0.2", 2, 1, Events.T0),
                Events.syn("10.0.0.1", 3, "10.0.0.2", 2, 1, Events.T0),
                Events.synAck("10.0.0.2", 2, "10.0.0.1", 3, 1, Events.T0 + 1));

        assertEquals(1, h.exchanges());
        assertEquals(1, h.stats().evicted(Kind.TCP));
        h.assertBalanced();
    }
}
