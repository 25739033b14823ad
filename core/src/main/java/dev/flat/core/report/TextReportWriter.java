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
    private final StringBuilder line = new StringBuilder(160);
    private char[] chars = new char[160];

    public TextReportWriter(Writer out, Ansi ansi, boolean flushEachLine) {
        this.out = out;
        this.ansi = ansi;
        this.flushEachLine = flushEachLine;
    }

    @Override
    public void onExchange(Exchange e) {
        line.setLength(0);
        line.append(ansi.start(e.kind)).append('(').append(e.kind.label()).append(") | src: ");
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
            int n = line.length();
            if (chars.length < n) {
                chars = new char[Math.max(n, 2 * chars.length)];
            }
            line.getChars(0, n, chars, 0); // no String per line
            out.write(chars, 0, n);
            if (flushEachLine) {
                out.flush();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
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
        TextSummary.write(out, context);
        out.flush();
    }
}
