package dev.flat.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A regular file read with positional reads into a direct buffer of {@link #WINDOW_SIZE} bytes,
 * small enough to stay in the core's cache, from which only what a reader asks for is copied to
 * the heap buffer, in blocks of at least {@link #MIN_COPY} bytes that the reader consumes while
 * they are hot. {@link #requireHead} checks that a whole record is in the file but copies only
 * its head, and {@link #skip} passes over the rest without copying it. A stream instead moves
 * every byte twice through 1 MiB buffers (kernel to a temporary direct buffer, then to the heap
 * chunk) before the parser reads a header of it (docs/performance.md, finding 2). Mapping the
 * file measured slower than both: on this kind of virtual machine, touching page-cache pages
 * from user space cost more than the kernel's copy, and a mapped window counts in the resident
 * set until it is unmapped, which Java 17 cannot do without internal API.
 *
 * <p>The file's size is taken once, when it is opened; a file that grows later is read up to
 * that size. One that shrinks while it is read (truncated, or rewritten by a capture still
 * running) ends where a read finds its new end: the readers treat it as a file cut short, keep
 * what they read and say that it shrank ({@link #shrankTo}).
 */
final class ChannelInput extends ChunkedInput {
    /** Bytes read from the file at once: one system call per MiB, and within a core's L2 cache. */
    static final int WINDOW_SIZE = 1 << 20;
    /**
     * Least bytes copied per refill. The bytes come from the direct buffer the kernel has just
     * filled, still in cache, so copying a few records at once is cheaper than a refill per
     * record: on the benchmark workload with 128-byte frames, 114 ns a packet with 256-byte
     * copies, 106 ns with 8 KiB ones, and no difference with whole frames. Frames longer than
     * this (jumbo frames, offloaded segments) are still copied only up to the parser's prefix.
     */
    static final int MIN_COPY = 8192;

    private final FileChannel channel;
    private final long size;
    /** Where the input ends: the size when opened, or the end a read found when the file had shrunk. */
    private long limit;
    private long shrankTo = -1;
    /** File bytes [windowStart, windowEnd), as last read. */
    private final ByteBuffer window;
    private long windowStart;
    private long windowEnd;

    private ChannelInput(String file, FileChannel channel, long size, int chunkSize, int windowSize) {
        super(file, chunkSize);
        this.channel = channel;
        this.size = size;
        this.limit = size;
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

    /** File size when opened: the end of the input unless the file shrinks while it is read. */
    long size() { return size; }

    @Override
    long shrankTo() { return shrankTo; }

    @Override
    long filePosition() { return offset(); }

    @Override
    boolean require(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        checkCapacity(n);
        long from = offset();
        int length = copy(from, (int) Math.min(Math.min(Math.max(n, MIN_COPY), buf.length), limit - from));
        refills++;
        bufferOffset = from;
        start = 0;
        end = length;
        return length >= n;
    }

    @Override
    boolean requireHead(int n, int head) throws IOException {
        return limit - offset() >= n && require(Math.min(head, n));
    }

    @Override
    long skip(long n) {
        long step = Math.min(n, limit - offset());
        if (step <= end - start) {
            start += (int) step;
        } else {
            bufferOffset = offset() + step;
            start = 0;
            end = 0;
        }
        return step;
    }

    /** Copies length bytes from file offset {@code from} to the heap buffer's start; returns how many (fewer if the file shrank). */
    private int copy(long from, int length) throws IOException {
        if (length <= 0) {
            return 0;
        }
        if (from < windowStart || from + length > windowEnd) {
            fill(from);
        }
        int copied = (int) Math.min(length, windowEnd - from);
        window.get((int) (from - windowStart), buf, 0, copied);
        return copied;
    }

    /** Reads the file from {@code from} into the direct buffer, as far as it holds or the input goes. */
    private void fill(long from) throws IOException {
        window.clear();
        int want = (int) Math.min(window.capacity(), limit - from);
        while (window.position() < want) {
            if (channel.read(window, from + window.position()) < 0) {
                shrank(from + window.position());
                break;
            }
        }
        windowStart = from;
        windowEnd = from + window.position();
    }

    /** A read found the end of the file at {@code end}, before the size it had when opened. */
    private void shrank(long end) throws IOException {
        limit = end;
        // A read that started past the new end (the file lost a payload that was skipped, too)
        // finds the end only there: the file's size says where it is.
        shrankTo = Math.min(end, channel.size());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
