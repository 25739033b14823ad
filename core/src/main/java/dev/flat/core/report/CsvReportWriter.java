package dev.flat.core.report;

import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.LongFunction;

/**
 * CSV (RFC 4180) with the header {@link #COLUMNS}, one row per answered exchange. Refused
 * exchanges are left out because the header has no outcome column (a row with a latency would
 * read as an answer); they are counted in the summary, which goes to a separate writer (stderr on
 * the command line) so that stdout stays one clean table.
 *
 * <p>Rows are composed as ASCII bytes in one reused {@link AsciiBuilder} (which says why): of
 * all the fields only the interface name, which comes from the capture file, can ever need
 * quoting, and it changes only with the interface. jackson-dataformat-csv encodes the header and
 * each distinct interface name (the last one is kept), so the quoting rules are Jackson's; the
 * other fields are digits, dots, colons, dashes and fixed words, written without the per-value
 * objects and checks of a generic encoder.
 */
public final class CsvReportWriter implements ReportWriter {
    public static final List<String> COLUMNS = List.of("time", "kind", "client", "client_port", "server",
            "server_port", "latency_ms", "retransmits", "ttl", "direction", "interface");
    /** Rows are handed to the Writer in batches of about this size (8 KiB), not one by one. */
    private static final int FLUSH_AT_BYTES = 8192;

    private final CsvFactory csv;
    /** One column, no line separator: how a single value reads as a CSV field. */
    private final CsvSchema fieldSchema = CsvSchema.builder().addColumn("field").build()
            .withoutHeader().withLineSeparator("");
    private final Writer out;
    private final Writer summaryOut;
    private final LongFunction<String> interfaceLabels;
    private final boolean flushEachLine;
    /** Rows composed since the last drain (a row with a long interface name makes it grow). */
    private final AsciiBuilder rows = new AsciiBuilder(2 * FLUSH_AT_BYTES);
    private final TimeText times = new TimeText();
    private String lastInterface;
    private String lastInterfaceField;
    /** {@link #lastInterfaceField} as ASCII bytes; null when it is not ASCII. */
    private byte[] lastInterfaceAscii;

    /**
     * @param summaryOut where the text summary goes at the end; null for none
     */
    public CsvReportWriter(Writer out, Writer summaryOut, LongFunction<String> interfaceLabels,
                           boolean flushEachLine) throws IOException {
        // Jackson's streaming CSV generator, not its CsvMapper: the mapper's databind set-up loaded
        // about 380 more classes and cost a quarter of a second of every run's start.
        this.csv = new CsvFactory();
        // Quote only what RFC 4180 requires (separator, quote, line break); by default Jackson
        // also quotes values that merely look unusual, such as the ISO time.
        csv.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        CsvSchema.Builder header = CsvSchema.builder();
        COLUMNS.forEach(header::addColumn);
        this.out = out;
        this.summaryOut = summaryOut;
        this.interfaceLabels = interfaceLabels;
        this.flushEachLine = flushEachLine;
        // The header is written here rather than by Jackson on the first row, so that a capture
        // without exchanges still yields a valid, self-describing file.
        out.write(row(header.build().withoutHeader().withLineSeparator("\n"), COLUMNS.toArray(new String[0])));
    }

    @Override
    public void onExchange(Exchange e) {
        if (e.outcome == Outcome.REFUSED) {
            return;
        }
        boolean ports = ExchangeFields.hasPorts(e);
        AsciiBuilder r = rows;
        ExchangeFields.appendTime(r, times, e).append(',');
        ExchangeFields.appendKind(r, e).append(',');
        ExchangeFields.appendClient(r, e).append(',');
        if (ports) {
            r.append(e.clientPort);
        }
        r.append(',');
        ExchangeFields.appendServer(r, e).append(',');
        if (ports) {
            r.append(e.serverPort);
        }
        r.append(',');
        ExchangeFields.appendLatencyMs(r, e).append(',');
        r.append(e.retransmits).append(',');
        r.append(e.responseTtl).append(',');
        ExchangeFields.appendDirection(r, e).append(',');
        try {
            appendInterfaceField(interfaceLabels.apply(e.ifindex));
            r.append('\n');
            if (flushEachLine) {
                drain();
                out.flush();
            } else if (r.length() >= FLUSH_AT_BYTES) {
                drain();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The interface name as a CSV field, quoted by Jackson when RFC 4180 requires it. A name
     * that is not ASCII (a pcapng if_name is UTF-8) cannot join the byte row: the row so far is
     * written out first, then the field as a String.
     */
    private void appendInterfaceField(String label) throws IOException {
        if (!label.equals(lastInterface)) {
            String field = row(fieldSchema, label);
            lastInterfaceAscii = isAscii(field) ? AsciiBuilder.encode(field) : null;
            lastInterfaceField = field;
            lastInterface = label;
        }
        if (lastInterfaceAscii != null) {
            rows.append(lastInterfaceAscii);
        } else {
            drain();
            out.write(lastInterfaceField);
        }
    }

    /** The values as one CSV row of {@code schema}, encoded by Jackson. */
    private String row(CsvSchema schema, String... values) throws IOException {
        StringWriter text = new StringWriter();
        try (CsvGenerator g = csv.createGenerator(text)) {
            g.setSchema(schema);
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
        return text.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private void drain() throws IOException {
        rows.writeTo(out);
        rows.reset();
    }

    @Override
    public void finish(ReportContext context) throws IOException {
        drain();
        out.flush();
        if (summaryOut != null) {
            TextSummary.write(summaryOut, context);
            summaryOut.flush();
        }
    }
}
