package dev.flat.core.report;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;

/**
 * Exchanges and unanswered requests placed in capture time, for the html report: per kind
 * ({@link KindTimeline}) and per server ({@link ServerTimelines}), on one shared {@link TimeAxis}.
 * An exchange is placed at its request's time, as in every report row. Nothing is allocated per
 * exchange once a point and a server have been seen (a rescale of the axis allocates, and happens
 * a few dozen times at most for a capture in time order).
 */
final class Timeline {
    private final TimeAxis axis = new TimeAxis();
    private final KindTimeline[] kinds = new KindTimeline[Kind.values().length];
    private final ServerTimelines servers = new ServerTimelines();

    Timeline() {
        for (int k = 0; k < kinds.length; k++) {
            kinds[k] = new KindTimeline();
        }
    }

    void onExchange(Exchange e) {
        int point = pointOf(e.requestTimeNs);
        boolean refused = e.outcome == Outcome.REFUSED;
        boolean retransmitted = e.retransmits > 0;
        kinds[e.kind.ordinal()].record(point, e.latencyNs, refused, retransmitted);
        int slot = servers.slotOf(e.kind, e.serverHi, e.serverLo, e.serverPort);
        if (slot != ServerTable.FULL) {
            servers.record(slot, point, e.latencyNs, refused, retransmitted);
        }
    }

    /** A request that got no response ({@link dev.flat.core.match.ExchangeListener#onUnanswered}). */
    void onUnanswered(Kind kind, long requestTimeNs, long serverHi, long serverLo, int serverPort, int retransmits) {
        int point = pointOf(requestTimeNs);
        kinds[kind.ordinal()].recordUnanswered(point, retransmits > 0);
        int slot = servers.slotOf(kind, serverHi, serverLo, serverPort);
        if (slot != ServerTable.FULL) {
            servers.recordUnanswered(slot, point, retransmits > 0);
        }
    }

    private int pointOf(long timeNs) {
        int point = axis.pointOf(timeNs);
        if (point >= 0) {
            return point;
        }
        TimeAxis.Rescale r = axis.fit(timeNs);
        if (r != null) {
            for (KindTimeline k : kinds) {
                k.rescale(r);
            }
            servers.rescale(r);
        }
        return axis.pointOf(timeNs);
    }

    TimeAxis axis() { return axis; }

    KindTimeline kind(Kind kind) { return kinds[kind.ordinal()]; }

    /** The server timelines, complete: reading them records what is batched first. */
    ServerTimelines servers() {
        servers.flush();
        return servers;
    }
}
