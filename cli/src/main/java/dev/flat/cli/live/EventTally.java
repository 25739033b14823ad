package dev.flat.cli.live;

import dev.flat.core.event.EventRecord;
import dev.flat.core.match.Kind;

/**
 * Events recorded per kind, for {@code flat record}'s summary. Classified by protocol and port
 * only (UDP to or from port 53 counts as dns): a recording does not run the matcher, whose DNS
 * decoder decides again when the log is analysed.
 */
final class EventTally {
    private static final int DNS_PORT = 53;
    private final long[] byKind = new long[Kind.values().length];
    private long other;

    void count(EventRecord e) {
        switch (e.ipProto()) {
            case EventRecord.PROTO_TCP -> byKind[Kind.TCP.ordinal()]++;
            case EventRecord.PROTO_UDP -> byKind[(e.sport() == DNS_PORT || e.dport() == DNS_PORT
                    ? Kind.DNS : Kind.UDP).ordinal()]++;
            case EventRecord.PROTO_ICMP, EventRecord.PROTO_ICMPV6 -> byKind[Kind.ICMP.ordinal()]++;
            default -> other++;
        }
    }

    long count(Kind k) { return byKind[k.ordinal()]; }

    /** "tcp 3, dns 2, udp 0, icmp 4" (plus "other N" when a record had another protocol). */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(k.label()).append(' ').append(byKind[k.ordinal()]);
        }
        if (other > 0) {
            b.append(", other ").append(other);
        }
        return b.toString();
    }
}
