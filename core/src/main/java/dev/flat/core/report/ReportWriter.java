package dev.flat.core.report;

import dev.flat.core.match.ExchangeListener;
import java.io.IOException;

/**
 * A report format. Exchanges stream in through {@link #onExchange} as the matcher completes
 * them (each is written at once: a report of a huge capture does not grow in memory), then
 * {@link #finish} writes the closing part (summary, input figures) and flushes. The writer
 * does not close the underlying stream: whoever opened it does. I/O errors while streaming
 * surface as {@link java.io.UncheckedIOException}.
 */
public interface ReportWriter extends ExchangeListener {
    void finish(ReportContext context) throws IOException;
}
