package dev.flat.core.report;

import java.io.IOException;

/**
 * An output that takes ASCII text as bytes, as they are. The report writers compose their rows
 * as ASCII bytes ({@link AsciiBuilder}); handed to a plain {@link java.io.Writer} those bytes
 * are first widened to chars, only for the Writer's encoder to narrow them back into bytes, two
 * passes over every byte of the report (docs/performance.md, finding 20). A Writer that is also
 * an AsciiSink ({@link EncodingWriter}) lets {@link AsciiBuilder#writeTo} skip both.
 */
public interface AsciiSink {
    /**
     * Whether {@link #writeAscii} may be called: true when ASCII encodes as itself in the output's
     * charset (UTF-8, ISO-8859-1, US-ASCII...) and everything between here and the bytes can pass
     * them on; a wrapper answers for what it wraps.
     */
    boolean takesAscii();

    /**
     * Writes {@code len} bytes of ASCII text (each 0..127) in order with the text written as
     * chars before and after them.
     */
    void writeAscii(byte[] ascii, int off, int len) throws IOException;
}
