package dev.flat.core.report;

import dev.flat.core.event.Direction;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;

/** The one definition of how an exchange's fields read in every report format. */
public final class ExchangeFields {
    private static final byte[][] KIND_LABELS = new byte[Kind.values().length][];
    private static final byte[][] DIRECTION_LABELS = new byte[Direction.values().length][];
    private static final byte[] NO_DIRECTION_LABEL = AsciiBuilder.encode(direction(null));

    static {
        for (Kind k : Kind.values()) {
            KIND_LABELS[k.ordinal()] = AsciiBuilder.encode(k.label());
        }
        for (Direction d : Direction.values()) {
            DIRECTION_LABELS[d.ordinal()] = AsciiBuilder.encode(direction(d));
        }
    }

    private ExchangeFields() {}

    // The text forms are appended to a caller's builder: report rows are written per exchange,
    // millions of times for a large capture, and must not cost objects each.

    /** Request time, ISO-8601 UTC with the source's digits, through the caller's formatter. */
    public static AsciiBuilder appendTime(AsciiBuilder out, TimeText times, Exchange e) {
        return times.appendIso(out, e.requestTimeNs, e.tsDigits);
    }

    /** Latency in ms, exact, with as many decimals as the source's timestamps ({@link Millis#exact}). */
    public static AsciiBuilder appendLatencyMs(AsciiBuilder out, Exchange e) {
        return Millis.appendExact(out, e.latencyNs, e.tsDigits);
    }

    public static AsciiBuilder appendClient(AsciiBuilder out, Exchange e) {
        return AddressText.appendTo(out, e.clientHi, e.clientLo);
    }

    public static AsciiBuilder appendServer(AsciiBuilder out, Exchange e) {
        return AddressText.appendTo(out, e.serverHi, e.serverLo);
    }

    /** {@link Kind#label()}. */
    public static AsciiBuilder appendKind(AsciiBuilder out, Exchange e) {
        return out.append(KIND_LABELS[e.kind.ordinal()]);
    }

    /** {@link #direction}. */
    public static AsciiBuilder appendDirection(AsciiBuilder out, Exchange e) {
        return out.append(e.direction == null ? NO_DIRECTION_LABEL : DIRECTION_LABELS[e.direction.ordinal()]);
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
