package dev.flat.cli;

import dev.flat.core.report.ReportFormat;
import dev.flat.core.report.Summary;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the report looks and where it goes; shared by analyze and the live commands. */
public final class ReportOptions {
    /** The names of the option that names the report's file (also read by {@link EarlyReading}). */
    static final String OUTPUT_SHORT = "-o";
    static final String OUTPUT_LONG = "--output";

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            converter = ReportFormatConverter.class,
            description = "text (default), json, jsonl, csv or html; see docs/report-schema.md")
    ReportFormat format;

    @Option(names = {OUTPUT_SHORT, OUTPUT_LONG}, paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", converter = ColorMode.Converter.class,
            description = "Colour the text format: auto (a terminal and NO_COLOR unset), always, never.")
    ColorMode color;

    @Option(names = "--top", paramLabel = "N", defaultValue = "" + Summary.DEFAULT_TOP,
            description = "Busiest servers to list in the summary (default: ${DEFAULT-VALUE}).")
    int top;

    public ReportFormat format() { return format; }
    public Path output() { return output; }
    public ColorMode color() { return color; }
    public int top() { return top; }

    /** Lower-case format names on the command line. */
    static final class ReportFormatConverter implements picocli.CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String text) {
            for (ReportFormat f : ReportFormat.values()) {
                if (f.label().equalsIgnoreCase(text)) {
                    return f;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + text + "' is not a format; use text, json, jsonl, csv or html");
        }
    }
}
