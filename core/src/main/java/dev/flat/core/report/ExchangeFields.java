package dev.flat.core.report;

import dev.flat.core.event.Direction;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;

/** The one definition of how an exchange's fields read in every report format. */
public final class ExchangeFields {
    private ExchangeFields() {}

    // The text forms are appended to a caller's builder: report rows are written per exchange,
    // millions of times for a large capture, and must not cost objects each.

    /** Request time, ISO-8601 UTC with the source's digits. */
    public static StringBuilder appendTime(StringBuilder sb, Exchange e) {
        return TimeText.appendIso(sb, e.requestTimeNs, e.tsDigits);
    }

    /** Latency in ms, exact, with as many decimals as the source's timestamps ({@link Millis#exact}). */
    public static StringBuilder appendLatencyMs(StringBuilder sb, Exchange e) {
        return Millis.appendExact(sb, e.latencyNs, e.tsDigits);
    }

    public static StringBuilder appendClient(StringBuilder sb, Exchange e) {
        return AddressText.appendTo(sb, e.clientHi, e.clientLo);
    }

    public static StringBuilder appendServer(StringBuilder sb, Exchange e) {
        return AddressText.appendTo(sb, e.serverHi, e.serverLo);
    }

    /** ICMP has no ports (the record's port fields carry the echo identifier and sequence). */
    public static boolean hasPorts(Exchange e) { return e.kind != Kind.ICMP; }

    /** The request's direction as the capture point saw it: sent out (egress) or received (ingress). */
    public static String direction(Direction d) {
        if (d == null) {
            return "unknown";
        }
        return switch (d) {
            case EGRESS -> "outbound";
            case INGRESS -> "inbound";
            case UNKNOWN -> "unknown";
        };
    }
}
