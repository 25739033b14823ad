package dev.flat.replay;

import dev.flat.core.input.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A stream read in large chunks: every byte passes through the buffer. Used for gzip input,
 * whose bytes exist only as the inflater produces them. When a record spans two chunks, the
 * unread tail is moved to the front before refilling.
 */
final class StreamInput extends ChunkedInput {
    private final InputStream in;
    private final CountingInputStream fileBytes;
    private final boolean compressed;
    private boolean eof;
    private boolean cutShort;

    /**
     * @param in        the bytes to read: fileBytes itself, or a decompressing stream over it
     * @param fileBytes counts the bytes read from the file, for {@link #filePosition()}
     */
    StreamInput(String file, InputStream in, CountingInputStream fileBytes, boolean compressed) {
        this(file, in, fileBytes, compressed, CHUNK_SIZE);
    }

    /** Chunk size as a parameter so that tests can force records across chunk boundaries. */
    StreamInput(String file, InputStream in, CountingInputStream fileBytes, boolean compressed, int chunkSize) {
        super(file, chunkSize);
        this.in = in;
        this.fileBytes = fileBytes;
        this.compressed = compressed;
    }

    @Override
    long filePosition() { return fileBytes.count(); }

    @Override
    boolean compressedStreamCutShort() { return cutShort; }

    @Override
    boolean require(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        checkCapacity(n);
        refills++;
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

    /** The whole record is read: a stream cannot pass over bytes without producing them. */
    @Override
    boolean requireHead(int n, int head) throws IOException {
        return require(n);
    }

    @Override
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
