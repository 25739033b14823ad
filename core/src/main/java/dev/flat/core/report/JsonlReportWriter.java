package dev.flat.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flat.core.match.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.function.LongFunction;

/**
 * JSON Lines (https://jsonlines.org): one exchange object per line, fields as in the json
 * format's exchanges, then one closing line {@code {"summary":{...},"input":{...}}} that a
 * consumer tells apart by its "summary" key. With flushEachLine (live capture) every line
 * reaches the reader as soon as the exchange completes.
 */
public final class JsonlReportWriter implements ReportWriter {
    private final JsonGenerator json;
    private final Writer out;
    private final LongFunction<String> interfaceLabels;
    private final JsonFields.Scratch scratch = new JsonFields.Scratch();
    private final boolean flushEachLine;

    public JsonlReportWriter(Writer out, LongFunction<String> interfaceLabels, boolean flushEachLine) throws IOException {
        this.out = out;
        this.json = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.interfaceLabels = interfaceLabels;
        this.flushEachLine = flushEachLine;
    }

    /**
     * The object and its newline go straight to the Writer: exchanges are root values, so the
     * generator has nothing to track for them (it writes only the closing line), and a line no
     * longer costs a generator flush, which also flushed the Writer: a system call per exchange.
     */
    @Override
    public void onExchange(Exchange exchange) {
        try {
            JsonFields.Scratch object = JsonFields.exchange(exchange, interfaceLabels, scratch);
            out.write(object.chars(), 0, object.length());
            out.write('\n');
            if (flushEachLine) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finish(ReportContext context) throws IOException {
        json.writeStartObject();
        JsonFields.summaryAndInput(json, context);
        json.writeEndObject();
        json.flush();
        out.write('\n');
        out.flush();
    }
}
