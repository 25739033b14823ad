package dev.flat.core.report;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The default format: one line per exchange in the spirit of the original flat's
 * {@code (TCP) | src: %v:%v\tdst: %v:%v\tTTL: %v\tlatency: %.3f ms}, where src is the client and
 * dst the server, coloured by kind; then {@link TextSummary}. Latency carries the digits the
 * source had (not a fixed %.3f of a double); IPv6 endpoints are bracketed (RFC 5952 section 6).
 */
public final class TextReportWriter implements ReportWriter {
    private final Writer out;
    private final Ansi ansi;
    private final boolean flushEachLine;
    /** Lines are handed to the Writer in batches of about this size, as CSV rows are (one call per line cost a widening and a copy each). */
    private static final int FLUSH_AT_BYTES = 8192;
    /** Lines composed since the last drain. */
    private final AsciiBuilder line = new AsciiBuilder(2 * FLUSH_AT_BYTES);

    public TextReportWriter(Writer out, Ansi ansi, boolean flushEachLine) {
        this.out = out;
        this.ansi = ansi;
        this.flushEachLine = flushEachLine;
    }

    @Override
    public void onExchange(Exchange e) {
        ExchangeFields.appendKind(line.append(ansi.start(e.kind)).append('('), e).append(") | src: ");
        endpoint(e, e.clientHi, e.clientLo, e.clientPort);
        line.append("\tdst: ");
        endpoint(e, e.serverHi, e.serverLo, e.serverPort);
        line.append("\tTTL: ").append(e.responseTtl);
        line.append("\tlatency: ");
        ExchangeFields.appendLatencyMs(line, e).append(" ms");
        if (e.kind == Kind.ICMP) {
            line.append("\tid: ").append(e.icmpId).append(" seq: ").append(e.icmpSeq);
        } else if (e.kind == Kind.DNS) {
            line.append("\tid: ").append(e.dnsId);
        }
        if (e.retransmits > 0) {
            line.append("\tretransmits: ").append(e.retransmits);
        }
        if (e.outcome == Outcome.REFUSED) {
            line.append("\trefused");
        }
        line.append(ansi.end()).append('\n');
        try {
            if (flushEachLine) {
                drain();
                out.flush();
            } else if (line.length() >= FLUSH_AT_BYTES) {
                drain();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void drain() throws IOException {
        line.writeTo(out); // no String per line
        line.reset();
    }

    private void endpoint(Exchange e, long hi, long lo, int port) {
        if (!ExchangeFields.hasPorts(e)) {
            AddressText.appendTo(line, hi, lo);
        } else {
            AddressText.appendEndpoint(line, hi, lo, port);
        }
    }

    @Override
    public void finish(ReportContext context) throws IOException {
        drain();
        TextSummary.write(out, context);
        out.flush();
    }
}
