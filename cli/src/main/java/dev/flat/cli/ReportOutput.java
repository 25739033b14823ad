package dev.flat.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Where the report goes: -o FILE (UTF-8, closed at the end) or the command's standard output. */
final class ReportOutput implements AutoCloseable {
    private final Writer writer;
    private final boolean toStdout;

    private ReportOutput(Writer writer, boolean toStdout) {
        this.writer = writer;
        this.toStdout = toStdout;
    }

    /** @throws ParameterException (a usage error) when FILE cannot be created */
    static ReportOutput open(CommandLine cmd, Path file) {
        if (file == null) {
            return new ReportOutput(cmd.getOut(), true);
        }
        try {
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            return new ReportOutput(w, false);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.FileSystemException fs ? ErrorHandler.describe(fs) : e.toString();
            throw new ParameterException(cmd, "Invalid value for option '--output': cannot write " + why);
        }
    }

    Writer writer() { return writer; }

    boolean toStdout() { return toStdout; }

    @Override
    public void close() throws IOException {
        if (toStdout) {
            writer.flush(); // standard output belongs to the caller
        } else {
            writer.close();
        }
    }
}
