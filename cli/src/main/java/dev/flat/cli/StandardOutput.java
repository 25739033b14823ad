package dev.flat.cli;

import dev.flat.core.report.EncodingWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;

/**
 * The process's standard output, as {@link Main#main} hands it to the commands. picocli's own
 * default is a PrintWriter over {@code System.out}, and both swallow write errors into a flag
 * (the PrintStream's is not even visible through the PrintWriter's {@code checkError()}), so
 * {@code flat analyze big.pcap | head -1} would read the whole capture for nobody. Here the
 * PrintWriter (help, usage, version) and the report share one buffered writer over file
 * descriptor 1, and the report writes to it through {@link #unswallowed()}, where a failed write
 * is an {@link java.io.IOException} that stops the analysis ({@link ReportOutput}).
 */
final class StandardOutput extends PrintWriter {
    private final Writer unswallowed;

    private StandardOutput(Writer unswallowed) {
        super(unswallowed, true);
        this.unswallowed = unswallowed;
    }

    /** Encoded as picocli encodes its default: sun.stdout.encoding when the JVM sets it (a terminal), else the default charset. */
    static StandardOutput open() {
        String encoding = System.getProperty("sun.stdout.encoding");
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding) : Charset.defaultCharset();
        return new StandardOutput(new EncodingWriter(new FileOutputStream(FileDescriptor.out), charset));
    }

    /** The same stream, in the same order with this PrintWriter's output, with its write errors thrown. */
    Writer unswallowed() { return unswallowed; }
}
