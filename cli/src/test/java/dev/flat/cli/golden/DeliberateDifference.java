package dev.flat.cli.golden;

import dev.flat.core.match.MatcherConfig;
import java.util.function.Predicate;

/**
 * The exchanges Wireshark pairs and flat deliberately does not report, each for a reason stated
 * in docs/matching.md ("Where flat and Wireshark differ on purpose"). A miss in the Wireshark
 * agreement that none of these explains fails {@link WiresharkCrossCheckTest}.
 *
 * <p>Each is recognised from Wireshark's view of the frames, never from the file name, so a new
 * capture with the same property is explained by the same rule and a capture that merely shares a
 * name is not.
 */
enum DeliberateDifference {
    /**
     * Wireshark pairs a request with its answer however long after; flat waits {@code --timeout}
     * (10 s by default, the one flat analyze runs with here) and then counts the request
     * unanswered, so that one lost answer cannot hold memory for ever.
     */
    ANSWER_AFTER_TIMEOUT("the answer came more than --timeout (10 s) after the request",
            s -> s.exchange().latencyNs() > MatcherConfig.DEFAULT_TIMEOUT_NS);

    private final String reason;
    private final Predicate<WiresharkExchanges.Seen> applies;

    DeliberateDifference(String reason, Predicate<WiresharkExchanges.Seen> applies) {
        this.reason = reason;
        this.applies = applies;
    }

    String reason() { return reason; }

    /** The deliberate difference that explains why flat does not report this exchange, or null. */
    static DeliberateDifference explaining(WiresharkExchanges.Seen seen) {
        for (DeliberateDifference d : values()) {
            if (d.applies.test(seen)) {
                return d;
            }
        }
        return null;
    }
}
