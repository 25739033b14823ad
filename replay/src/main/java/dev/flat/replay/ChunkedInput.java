package dev.flat.replay;

import dev.flat.core.input.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A capture file read in large chunks into one reusable buffer. Readers ask for a record's bytes
 * with {@link #require(int)}; the record is then contiguous in {@link #buffer()} from
 * {@link #pos()}, also when it spanned two chunks (the unread tail is moved to the front before
 * refilling). The buffer belongs to this object: a record's bytes stay valid until the next
 * {@link #require}, {@link #advance} or {@link #skip}.
 */
final class ChunkedInput implements AutoCloseable {
    /** Chunk size and the longest record a reader can ask for at once. */
    static final int CHUNK_SIZE = 1 << 20;

    private final String file;
    private final InputStream in;
    private final boolean compressed;
    private final byte[] buf;
    private int start;
    private int end;
    /** Stream offset of buf[0] (in the decompressed stream for gzip). */
    private long bufferOffset;
    private boolean eof;
    private boolean cutShort;

    ChunkedInput(String file, InputStream in, boolean compressed) {
        this(file, in, compressed, CHUNK_SIZE);
    }

    /** Chunk size as a parameter so that tests can force records across chunk boundaries. */
    ChunkedInput(String file, InputStream in, boolean compressed, int chunkSize) {
        this.file = file;
        this.in = in;
        this.compressed = compressed;
        this.buf = new byte[chunkSize];
    }

    byte[] buffer() { return buf; }
    int pos() { return start; }
    int available() { return end - start; }
    int capacity() { return buf.length; }

    /** Stream offset of the next unread byte (what error messages and warnings quote). */
    long offset() { return bufferOffset + start; }

    /** True when a gzip stream ended before its trailer: the capture inside is cut short. */
    boolean compressedStreamCutShort() { return cutShort; }

    /**
     * Makes n bytes available contiguously from {@link #pos()}; false when the stream ends first
     * ({@link #available()} then says how many there are). n must not exceed the capacity.
     */
    boolean require(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        if (n > buf.length) {
            throw new IllegalArgumentException("record of " + n + " bytes exceeds the " + buf.length + "-byte buffer");
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        while (end < n && !eof) {
            int r = read(end, buf.length - end);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
        return end - start >= n;
    }

    void advance(int n) {
        if (n < 0 || n > end - start) {
            throw new IllegalArgumentException("advance " + n + " with " + (end - start) + " available");
        }
        start += n;
    }

    /** Skips n bytes without holding them; returns how many were skipped (fewer at the end). */
    long skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (start == end && !require(1)) {
                break;
            }
            int step = (int) Math.min(left, end - start);
            start += step;
            left -= step;
        }
        return n - left;
    }

    private int read(int off, int len) throws IOException {
        try {
            return in.read(buf, off, len);
        } catch (EOFException e) {
            if (!compressed) {
                throw e;
            }
            // GZIPInputStream: "Unexpected end of ZLIB input stream". The file was cut short; the
            // readers see a short stream and report it like any other truncation.
            cutShort = true;
            return -1;
        } catch (ZipException e) {
            // Only GZIPInputStream throws it: the compressed data itself is damaged.
            throw new InputException(file, offset(), "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
