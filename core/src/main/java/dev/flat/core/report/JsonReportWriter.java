package dev.flat.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flat.core.match.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.function.LongFunction;

/**
 * One JSON document: {@code {"exchanges":[...],"summary":{...},"input":{...}}}. The exchanges
 * array is streamed element by element, so memory does not grow with the capture.
 */
public final class JsonReportWriter implements ReportWriter {
    private final Writer out;
    private final JsonGenerator json;
    private final LongFunction<String> interfaceLabels;
    private final JsonFields.Scratch scratch = new JsonFields.Scratch();

    public JsonReportWriter(Writer out, LongFunction<String> interfaceLabels) throws IOException {
        this.out = out;
        this.json = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.interfaceLabels = interfaceLabels;
        json.writeStartObject();
        json.writeArrayFieldStart("exchanges");
    }

    @Override
    public void onExchange(Exchange exchange) {
        try {
            JsonFields.Scratch object = JsonFields.exchange(exchange, interfaceLabels, scratch);
            json.writeRawValue(object.chars(), 0, object.length()); // the generator still places the commas
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finish(ReportContext context) throws IOException {
        json.writeEndArray();
        JsonFields.summaryAndInput(json, context);
        json.writeEndObject();
        json.flush();
        out.write('\n');
        out.flush();
    }
}
