package dev.flat.replay;

import java.io.IOException;

/**
 * A capture file read through one reusable buffer. Readers ask for a record's bytes with
 * {@link #require(int)}; the record is then contiguous in {@link #buffer()} from {@link #pos()},
 * also when it spanned two chunks of the file. The buffer belongs to this object: a record's bytes
 * stay valid until the next {@link #require}, {@link #requireHead}, {@link #advance} or
 * {@link #skip}.
 *
 * <p>Two sources: {@link StreamInput} reads a stream in large chunks (gzip input; every byte is
 * copied into the buffer), {@link ChannelInput} maps a plain file and copies only what a
 * reader asks for, so that the payload bytes the frame parser never looks at are never copied.
 */
abstract class ChunkedInput implements AutoCloseable {
    /** Buffer size and the longest record a reader can ask for at once. */
    static final int CHUNK_SIZE = 1 << 20;

    final String file;
    final byte[] buf;
    int start;
    int end;
    /** Input offset of buf[0] (in the decompressed stream for gzip). */
    long bufferOffset;
    /**
     * Times the buffer was refilled from the input (wrapping). A plain field: readers compare it
     * at record boundaries to do something once per refill rather than per record.
     */
    int refills;

    ChunkedInput(String file, int chunkSize) {
        this.file = file;
        this.buf = new byte[chunkSize];
    }

    final byte[] buffer() { return buf; }
    final int pos() { return start; }
    final int available() { return end - start; }
    final int capacity() { return buf.length; }

    /** Input offset of the next unread byte (what error messages and warnings quote). */
    final long offset() { return bufferOffset + start; }

    /** Bytes consumed from the file itself, for progress (compressed bytes for gzip). */
    abstract long filePosition();

    /** True when a gzip stream ended before its trailer: the capture inside is cut short. */
    boolean compressedStreamCutShort() { return false; }

    /**
     * The file's size when it was found to have shrunk below the size it had when opened (it was
     * truncated or rewritten while read), or -1 while it has not: its input then ended there.
     */
    long shrankTo() { return -1; }

    /**
     * Makes n bytes available contiguously from {@link #pos()}; false when the input ends first
     * ({@link #available()} then says how many there are). n must not exceed the capacity.
     */
    abstract boolean require(int n) throws IOException;

    /**
     * Checks that the input holds n more bytes and makes at least the first {@code head} of them
     * contiguous from {@link #pos()} ({@link #available()} says how many are; all n when the
     * source copies everything anyway). False when the input ends before n bytes.
     */
    abstract boolean requireHead(int n, int head) throws IOException;

    /** Skips n bytes without holding them; returns how many were skipped (fewer at the end). */
    abstract long skip(long n) throws IOException;

    final void advance(int n) {
        if (n < 0 || n > end - start) {
            throw new IllegalArgumentException("advance " + n + " with " + (end - start) + " available");
        }
        start += n;
    }

    final void checkCapacity(int n) {
        if (n > buf.length) {
            throw new IllegalArgumentException("record of " + n + " bytes exceeds the " + buf.length + "-byte buffer");
        }
    }

    @Override
    public abstract void close() throws IOException;
}
