package dev.flat.cli;

import dev.flat.core.event.EventSink;
import dev.flat.core.filter.EventFilter;
import dev.flat.core.input.InputStats;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.ExchangeListener;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.report.Address128;
import dev.flat.core.report.ReportContext;
import dev.flat.core.report.ReportWriter;
import dev.flat.core.report.Summary;
import java.io.IOException;
import java.util.Collection;

/**
 * The path every event takes once read: filter → matcher → (summary and report writer).
 * Offline, every file drains into the one pipeline in order, so one report covers them all;
 * the live commands feed it from the capture. Not thread-safe: one thread feeds it.
 */
public final class Pipeline {
    private final Summary summary = new Summary();
    private final ReportWriter writer;
    private final Matcher matcher;
    private final EventFilter filter;

    public Pipeline(MatcherConfig config, Collection<Address128> hosts, Collection<Integer> ports, ReportWriter writer) {
        this.writer = writer;
        this.matcher = new Matcher(config, new ExchangeListener() {
            @Override
            public void onExchange(Exchange exchange) {
                summary.onExchange(exchange);
                writer.onExchange(exchange);
            }

            @Override
            public void onUnanswered(Kind kind, long requestTimeNs, long serverHi, long serverLo, int serverPort,
                                     int retransmits) {
                writer.onUnanswered(kind, requestTimeNs, serverHi, serverLo, serverPort, retransmits);
            }
        });
        this.filter = new EventFilter(hosts, ports, matcher);
    }

    /** Where events go in. */
    public EventSink input() { return filter.passesEverything() ? matcher : filter; }

    /** For live mode's idle expiry ({@link Matcher#expireUpTo}). */
    public Matcher matcher() { return matcher; }

    public Summary summary() { return summary; }

    /** End of input: pending requests become unanswered, then the report's closing part is written. */
    public ReportContext finish(InputStats input, int top) throws IOException {
        matcher.finish();
        ReportContext context = new ReportContext(summary, matcher.stats(), input, filter.filtered(), top);
        writer.finish(context);
        return context;
    }
}
