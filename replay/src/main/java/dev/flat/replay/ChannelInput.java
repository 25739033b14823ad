package dev.flat.replay;

import dev.flat.core.input.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A regular file read with positional reads into a direct buffer of {@link #WINDOW_SIZE} bytes,
 * from which only what a reader asks for is copied to the heap buffer (at least
 * {@link #MIN_COPY}, so that a pcap record header and the start of its frame come in one copy).
 * {@link #requireHead} checks that a whole record is in the file but copies only its head, and
 * {@link #skip} passes over the rest without touching it. A stream costs two copies of every
 * byte (kernel to a temporary direct buffer, then to the heap) although the frame parser looks at
 * headers only (docs/performance.md, finding 2); here the payload is copied once, by the kernel,
 * into a buffer small enough to stay in the CPU's cache while its headers are read. (Mapping the
 * file instead measured slower: touching page-cache pages from user space cost more than the
 * kernel's copy, and each mapped window counts in the resident set.)
 *
 * <p>The file's size is taken once, when it is opened; a file that grows later is read up to
 * that size, one that shrinks is an {@link InputException}.
 */
final class ChannelInput extends ChunkedInput {
    /** Bytes read from the file at once: one system call per MiB, and within a core's L2 cache. */
    static final int WINDOW_SIZE = 1 << 20;
    /** Least bytes copied per refill: a pcap record header (16) and the parser's 128-byte prefix. */
    static final int MIN_COPY = Integer.getInteger("flat.mincopy", 256);

    private final FileChannel channel;
    private final long size;
    /** File bytes [windowStart, windowEnd), as last read. */
    private final ByteBuffer window;
    private long windowStart;
    private long windowEnd;

    private ChannelInput(String file, FileChannel channel, long size, int chunkSize, int windowSize) {
        super(file, chunkSize);
        this.channel = channel;
        this.size = size;
        // At least a chunk: a record the heap buffer can hold is always within one window.
        this.window = ByteBuffer.allocateDirect(Math.max(windowSize, chunkSize));
    }

    static ChannelInput open(Path path) throws IOException {
        return open(path, CHUNK_SIZE, WINDOW_SIZE);
    }

    /** Chunk and window sizes as parameters so that tests can force records across both boundaries. */
    static ChannelInput open(Path path, int chunkSize, int windowSize) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ChannelInput(path.toString(), channel, channel.size(), chunkSize, windowSize);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** File size when opened: the end of the input. */
    long size() { return size; }

    @Override
    long filePosition() { return offset(); }

    @Override
    boolean require(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        checkCapacity(n);
        long from = offset();
        int length = (int) Math.min(Math.min(Math.max(n, MIN_COPY), buf.length), size - from);
        copy(from, length);
        bufferOffset = from;
        start = 0;
        end = length;
        return length >= n;
    }

    @Override
    boolean requireHead(int n, int head) throws IOException {
        return size - offset() >= n && require(Math.min(head, n));
    }

    @Override
    long skip(long n) {
        long step = Math.min(n, size - offset());
        if (step <= end - start) {
            start += (int) step;
        } else {
            bufferOffset = offset() + step;
            start = 0;
            end = 0;
        }
        return step;
    }

    private void copy(long from, int length) throws IOException {
        if (length <= 0) {
            return;
        }
        if (from < windowStart || from + length > windowEnd) {
            fill(from, length);
        }
        window.get((int) (from - windowStart), buf, 0, length);
    }

    /** Reads the file from {@code from} into the direct buffer, at least length bytes. */
    private void fill(long from, int length) throws IOException {
        window.clear();
        int want = (int) Math.min(window.capacity(), size - from);
        while (window.position() < want) {
            int r = channel.read(window, from + window.position());
            if (r < 0) {
                break;
            }
        }
        if (window.position() < length) {
            throw new InputException(file, from + window.position(), "the file shrank while it was read");
        }
        windowStart = from;
        windowEnd = from + window.position();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
