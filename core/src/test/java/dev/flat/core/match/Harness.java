package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.event.EventRecord;

/** A matcher wired to a {@link Events.Recorder}, with the checks every test wants. */
final class Harness {
    final Events.Recorder recorder = new Events.Recorder();
    final Matcher matcher;

    Harness() { this(MatcherConfig.defaults()); }

    Harness(MatcherConfig config) { matcher = new Matcher(config, recorder); }

    Harness(MatcherConfig config, FlowHash hash) { matcher = new Matcher(config, recorder, hash); }

    Harness feed(EventRecord... events) {
        for (EventRecord e : events) {
            matcher.onEvent(e);
        }
        return this;
    }

    MatcherStats stats() { return matcher.stats(); }

    Exchange only() { return recorder.only(); }

    int exchanges() { return recorder.exchanges.size(); }

    /** Every request ended exactly one way or is still pending, and exchanges were reported for answers. */
    void assertBalanced() {
        MatcherStats s = matcher.stats();
        long reported = 0;
        for (Kind k : Kind.values()) {
            long ended = s.answered(k) + s.refused(k) + s.unanswered(k) + s.evicted(k) + s.unmeasurable(k);
            assertEquals(s.requests(k), ended + s.pending(k), "request accounting for " + k.label());
            reported += s.answered(k) + s.refused(k);
        }
        assertEquals(reported, exchanges(), "one exchange per answered or refused request");
    }
}
