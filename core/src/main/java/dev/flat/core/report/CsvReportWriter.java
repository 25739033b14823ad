package dev.flat.core.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.LongFunction;

/**
 * CSV (RFC 4180, via jackson-dataformat-csv) with the header {@link #COLUMNS}, one row per
 * answered exchange. Refused exchanges are left out because the header has no outcome column
 * (a row with a latency would read as an answer); they are counted in the summary, which goes
 * to a separate writer (stderr on the command line) so that stdout stays one clean table.
 */
public final class CsvReportWriter implements ReportWriter {
    public static final List<String> COLUMNS = List.of("time", "kind", "client", "client_port", "server",
            "server_port", "latency_ms", "retransmits", "ttl", "direction", "interface");

    private final SequenceWriter rows;
    private final Writer out;
    private final Writer summaryOut;
    private final LongFunction<String> interfaceLabels;
    private final boolean flushEachLine;
    private final Object[] row = new Object[COLUMNS.size()];

    /**
     * @param summaryOut where the text summary goes at the end; null for none
     */
    public CsvReportWriter(Writer out, Writer summaryOut, LongFunction<String> interfaceLabels,
                           boolean flushEachLine) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        CsvMapper mapper = new CsvMapper();
        mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        // Quote only what RFC 4180 requires (separator, quote, line break); by default Jackson
        // also quotes values that merely look unusual, such as the ISO time.
        mapper.getFactory().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        this.rows = mapper.writer(schema.build().withoutHeader().withLineSeparator("\n")).writeValues(out);
        // The header is written here rather than by Jackson on the first row, so that a capture
        // without exchanges still yields a valid, self-describing file.
        rows.write(COLUMNS.toArray());
        this.out = out;
        this.summaryOut = summaryOut;
        this.interfaceLabels = interfaceLabels;
        this.flushEachLine = flushEachLine;
    }

    @Override
    public void onExchange(Exchange e) {
        if (e.outcome == Outcome.REFUSED) {
            return;
        }
        boolean ports = ExchangeFields.hasPorts(e);
        row[0] = ExchangeFields.time(e);
        row[1] = e.kind.label();
        row[2] = ExchangeFields.client(e);
        row[3] = ports ? Integer.toString(e.clientPort) : "";
        row[4] = ExchangeFields.server(e);
        row[5] = ports ? Integer.toString(e.serverPort) : "";
        row[6] = ExchangeFields.latencyMs(e).toPlainString();
        row[7] = Integer.toString(e.retransmits);
        row[8] = Integer.toString(e.responseTtl);
        row[9] = ExchangeFields.direction(e.direction);
        row[10] = interfaceLabels.apply(e.ifindex);
        try {
            rows.write(row);
            if (flushEachLine) {
                rows.flush();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void finish(ReportContext context) throws IOException {
        rows.flush();
        out.flush();
        if (summaryOut != null) {
            TextSummary.write(summaryOut, context);
            summaryOut.flush();
        }
    }
}
