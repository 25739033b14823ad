package dev.flat.core.report;

import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import java.io.IOException;
import java.io.Writer;

/**
 * One self-contained HTML page (docs/report-schema.md, "html"): plots of latency over capture
 * time, the latency distribution, the busiest servers with sparklines, every counter of the
 * other formats, and filters by kind and server, drawn by uPlot inlined into the page.
 *
 * <p>Nothing is written while exchanges stream in: they are aggregated into a {@link Timeline}
 * (fixed memory however long the capture) and the first {@link #EXCHANGE_LIMIT} are kept as
 * rows ({@link ExchangeSample}); {@link #finish} writes the whole page. A live monitor thus
 * writes its page when it stops.
 */
public final class HtmlReportWriter implements ReportWriter {
    /** Exchanges listed individually in the page; past this, only counted (the page says so). */
    public static final int EXCHANGE_LIMIT = 10_000;
    private static final String STYLES = "<!--flat:styles-->";
    private static final String DATA = "<!--flat:data-->";
    private static final String SCRIPTS = "<!--flat:scripts-->";

    private final Writer out;
    private final Timeline timeline = new Timeline();
    private final ExchangeSample sample = new ExchangeSample(EXCHANGE_LIMIT);
    private final HtmlAssets assets;

    public HtmlReportWriter(Writer out) {
        this.out = out;
        this.assets = HtmlAssets.get(); // fails here, before any input is read, if a resource is missing
    }

    @Override
    public void onExchange(Exchange exchange) {
        timeline.onExchange(exchange);
        sample.onExchange(exchange);
    }

    @Override
    public void onUnanswered(Kind kind, long requestTimeNs, long serverHi, long serverLo, int serverPort,
                             int retransmits) {
        timeline.onUnanswered(kind, requestTimeNs, serverHi, serverLo, serverPort, retransmits);
    }

    @Override
    public void finish(ReportContext context) throws IOException {
        String page = assets.pageSkeleton;
        int styles = marker(page, STYLES);
        int data = marker(page, DATA);
        int scripts = marker(page, SCRIPTS);
        out.write(page, 0, styles);
        out.write("<style>\n");
        out.write(assets.uplotStyles);
        out.write("\n");
        out.write(assets.pageStyles);
        out.write("</style>");
        out.write(page, styles + STYLES.length(), data - styles - STYLES.length());
        out.write("<script type=\"application/json\" id=\"flat-data\">");
        HtmlReportData.write(out, context, timeline, sample, assets.uplotVersion);
        out.write("</script>");
        out.write(page, data + DATA.length(), scripts - data - DATA.length());
        out.write("<script>\n");
        out.write(assets.uplotScript);
        out.write("\n</script>\n<script>\n");
        out.write(assets.pageScript);
        out.write("</script>");
        out.write(page, scripts + SCRIPTS.length(), page.length() - scripts - SCRIPTS.length());
        out.flush();
    }

    private static int marker(String page, String marker) {
        int at = page.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("page.html lacks " + marker);
        }
        return at;
    }
}
