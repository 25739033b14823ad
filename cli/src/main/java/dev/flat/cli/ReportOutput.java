package dev.flat.cli;

import dev.flat.core.report.AsciiSink;
import dev.flat.core.report.EncodingWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Where the report goes: -o FILE (UTF-8, closed at the end) or the command's standard output.
 * The first write that fails is remembered and every later one fails at once with it, so the
 * command can tell a failed output from a failed input whichever way the exception travelled
 * (a report writer wraps it in an {@link java.io.UncheckedIOException}, the reader thread
 * hands it on): see {@link #failure()}.
 */
final class ReportOutput implements AutoCloseable {
    /** strerror(EPIPE), the text the JDK's FileOutputStream gives the only errno it does not expose. */
    private static final String BROKEN_PIPE = "Broken pipe";

    private final FailureKeepingWriter writer;
    private final String name;
    private final boolean toStdout;

    private ReportOutput(Writer writer, String name, boolean toStdout) {
        this.writer = new FailureKeepingWriter(writer);
        this.name = name;
        this.toStdout = toStdout;
    }

    /** @throws ParameterException (a usage error) when FILE cannot be created */
    static ReportOutput open(CommandLine cmd, Path file) {
        if (file == null) {
            PrintWriter out = cmd.getOut();
            // Only the process's own stdout lets write errors through; any other PrintWriter
            // (tests, embedding) keeps them to itself, as PrintWriters do.
            Writer w = out instanceof StandardOutput std ? std.unswallowed() : out;
            return new ReportOutput(w, "standard output", true);
        }
        try {
            EncodingWriter w = new EncodingWriter(Files.newOutputStream(file), StandardCharsets.UTF_8);
            return new ReportOutput(w, file.toString(), false);
        } catch (IOException e) {
            String why = e instanceof FileSystemException fs ? ErrorHandler.describe(fs) : e.toString();
            throw new ParameterException(cmd, "Invalid value for option '--output': cannot write " + why);
        }
    }

    Writer writer() { return writer; }

    boolean toStdout() { return toStdout; }

    /**
     * What to end the command with when a write failed, null when none did. On standard output
     * EPIPE means its reader went away ({@code | head}): {@link ReportOutputException#brokenPipe()}.
     */
    ReportOutputException failure() {
        IOException e = writer.failure;
        if (e == null) {
            return null;
        }
        return new ReportOutputException(name, e, toStdout && BROKEN_PIPE.equals(e.getMessage()));
    }

    @Override
    public void close() throws IOException {
        if (toStdout) {
            writer.flush(); // standard output belongs to the caller
        } else {
            writer.close();
        }
    }

    /** Passes everything on until a call fails; from then on every call fails at once, naming that first failure. */
    private static final class FailureKeepingWriter extends Writer implements AsciiSink {
        private final Writer out;
        private IOException failure;

        FailureKeepingWriter(Writer out) {
            super(out);
            this.out = out;
        }

        @Override
        public boolean takesAscii() {
            return out instanceof AsciiSink sink && sink.takesAscii();
        }

        @Override
        public void writeAscii(byte[] ascii, int off, int len) throws IOException {
            check();
            try {
                ((AsciiSink) out).writeAscii(ascii, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(int c) throws IOException {
            check();
            try {
                out.write(c);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            check();
            try {
                out.write(chars, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            check();
            try {
                out.write(s, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            check();
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw failed(e);
            }
            check();
        }

        private void check() throws IOException {
            if (failure != null) {
                // A new exception each time: try-with-resources cannot add an exception to itself.
                throw new IOException("the report output failed before: " + failure.getMessage(), failure);
            }
        }

        private IOException failed(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
