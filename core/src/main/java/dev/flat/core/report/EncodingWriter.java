package dev.flat.core.report;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A buffered Writer over a byte stream, like {@code BufferedWriter(OutputStreamWriter(out,
 * charset))}, which also takes ASCII text as bytes ({@link AsciiSink}) when the charset encodes
 * ASCII as itself. Chars go through a {@link BufferedWriter} and the JDK's encoder for the
 * charset (an {@link OutputStreamWriter}, so unmappable chars and surrogates are replaced as it replaces them);
 * ASCII bytes go straight into the byte buffer, after whatever the encoder holds, so the two
 * kinds of write keep their order.
 *
 * <p>Not thread-safe beyond what {@link Writer}'s lock gives its own methods: one report writer
 * (or one PrintWriter and one report writer taking turns) per instance.
 */
public final class EncodingWriter extends Writer implements AsciiSink {
    /** 64 KiB: a report of millions of rows in large writes, a few hundred system calls per 10 MiB. */
    private static final int BUFFER_BYTES = 1 << 16;

    private final OutputStream bytes;
    /** Chars buffered, then encoded into {@link #bytes}: as BufferedWriter over OutputStreamWriter does. */
    private final Writer chars;
    private final boolean asciiAsItself;
    /** Whether {@link #chars} may hold encoded bytes not yet passed to {@link #bytes}. */
    private boolean charsPending;

    public EncodingWriter(OutputStream out, Charset charset) {
        this.bytes = new BufferedOutputStream(out, BUFFER_BYTES);
        // The encoder's flush must only empty its own buffer into ours: flushing the file (a
        // system call) each time ASCII bytes follow chars would cost a call per line of text.
        this.chars = new BufferedWriter(new OutputStreamWriter(new FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                bytes.write(b, off, len);
            }

            @Override
            public void flush() {
                // deliberately nothing: see above
            }

            @Override
            public void close() {
                // EncodingWriter.close closes the stream once
            }
        }, charset));
        this.asciiAsItself = encodesAsciiAsItself(charset);
    }

    /** Whether the 128 ASCII chars encode to the bytes 0..127, one each (not so for UTF-16 or EBCDIC). */
    static boolean encodesAsciiAsItself(Charset charset) {
        if (!charset.canEncode()) {
            return false;
        }
        byte[] ascii = new byte[128];
        for (int i = 0; i < ascii.length; i++) {
            ascii[i] = (byte) i;
        }
        String text = new String(ascii, StandardCharsets.US_ASCII);
        return Arrays.equals(text.getBytes(charset), ascii);
    }

    @Override
    public boolean takesAscii() { return asciiAsItself; }

    @Override
    public void writeAscii(byte[] ascii, int off, int len) throws IOException {
        if (!asciiAsItself) {
            throw new IllegalStateException("ASCII bytes are not ASCII text in this output's charset");
        }
        drainChars();
        bytes.write(ascii, off, len);
    }

    @Override
    public void write(int c) throws IOException {
        chars.write(c);
        charsPending = true;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        chars.write(cbuf, off, len);
        charsPending = true;
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        chars.write(s, off, len);
        charsPending = true;
    }

    @Override
    public void flush() throws IOException {
        drainChars();
        bytes.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            bytes.close();
        }
    }

    private void drainChars() throws IOException {
        if (charsPending) {
            chars.flush(); // into our byte buffer only: the encoder's stream's flush does nothing
            charsPending = false;
        }
    }
}
