package dev.flat.core.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.function.LongFunction;

/** The report formats, as named on the command line ({@code --format}). */
public enum ReportFormat {
    TEXT, JSON, JSONL, CSV, HTML;

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /**
     * @param out             the report
     * @param diagnostics     where the csv format puts its text summary (stdout stays pure CSV)
     * @param ansi            colours for the text format
     * @param interfaceLabels ifindex → interface label for the exchange rows
     * @param live            flush every exchange as it is written (html writes its page at the end
     *                        only: a live monitor's page appears when it stops)
     */
    public ReportWriter open(Writer out, Writer diagnostics, Ansi ansi, LongFunction<String> interfaceLabels,
                             boolean live) throws IOException {
        return switch (this) {
            case TEXT -> new TextReportWriter(out, ansi, live);
            case JSON -> new JsonReportWriter(out, interfaceLabels);
            case JSONL -> new JsonlReportWriter(out, interfaceLabels, live);
            case CSV -> new CsvReportWriter(out, diagnostics, interfaceLabels, live);
            case HTML -> new HtmlReportWriter(out);
        };
    }
}
