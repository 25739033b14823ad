package dev.flat.core.report;

import dev.flat.core.event.Direction;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import java.math.BigDecimal;

/** The one definition of how an exchange's fields read in every report format. */
public final class ExchangeFields {
    private ExchangeFields() {}

    /** Request time, ISO-8601 UTC with the source's digits. */
    public static String time(Exchange e) { return TimeText.iso(e.requestTimeNs, e.tsDigits); }

    public static BigDecimal latencyMs(Exchange e) { return Millis.exact(e.latencyNs, e.tsDigits); }

    public static String client(Exchange e) { return AddressText.format(e.clientHi, e.clientLo); }

    public static String server(Exchange e) { return AddressText.format(e.serverHi, e.serverLo); }

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
