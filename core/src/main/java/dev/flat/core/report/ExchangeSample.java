package dev.flat.core.report;

import dev.flat.core.match.Exchange;
import java.io.IOException;
import java.io.Writer;

/**
 * The first {@link #limit} exchanges of a report, kept as JSON array rows for the html page's
 * exchange table: {@code ["time","kind","outcome","client",client_port,"server",server_port,
 * latency_ms,retransmits]} (ports null for icmp). A page cannot hold the 840 000 exchanges of a
 * large capture and stay responsive; past the limit, exchanges are only counted, and the page
 * says how many it shows. Rows are composed as ASCII bytes as the csv and json rows are: every
 * field is digits, a fixed word or an address, none of which JSON escapes.
 */
final class ExchangeSample {
    private final int limit;
    private final AsciiBuilder rows = new AsciiBuilder(1 << 16);
    private final TimeText times = new TimeText();
    private long kept;
    private long total;

    ExchangeSample(int limit) {
        this.limit = limit;
    }

    void onExchange(Exchange e) {
        total++;
        if (kept == limit) {
            return;
        }
        AsciiBuilder r = rows;
        if (kept++ > 0) {
            r.append(',');
        }
        r.append("[\"");
        ExchangeFields.appendTime(r, times, e).append("\",\"");
        ExchangeFields.appendKind(r, e).append("\",\"").append(e.outcome.label()).append("\",\"");
        ExchangeFields.appendClient(r, e).append("\",");
        port(r, e, e.clientPort).append(",\"");
        ExchangeFields.appendServer(r, e).append("\",");
        port(r, e, e.serverPort).append(',');
        ExchangeFields.appendLatencyMs(r, e).append(',').append(e.retransmits).append(']');
    }

    private static AsciiBuilder port(AsciiBuilder r, Exchange e, int port) {
        return ExchangeFields.hasPorts(e) ? r.append(port) : r.append("null");
    }

    int limit() { return limit; }

    long total() { return total; }

    long kept() { return kept; }

    /** The rows, comma-separated, without the enclosing brackets. */
    void writeRowsTo(Writer out) throws IOException {
        rows.writeTo(out);
    }
}
