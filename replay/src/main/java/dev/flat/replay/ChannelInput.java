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
 *
 * <p>On a machine with CPUs to spare, a large file's windows are read ahead by a thread of their
 * own ({@link ReadAhead}), consecutive windows of the file that the copies take in order; a
 * record may then span two of them. The shrinking file is then noticed by the read that finds its
 * end, which may come before the reader gets there: what was read before is kept, as always.
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
    /** File bytes [windowStart, windowEnd), as last read; with read-ahead, the current window's. */
    private ByteBuffer window;
    private long windowStart;
    private long windowEnd;
    /** Null when the file is read on demand; else the windows, read ahead ({@link #useReadAhead}). */
    private ReadAhead ahead;
    private ReadAhead.Window previous;
    private ReadAhead.Window current;
    private final boolean readAhead;
    private final int windowSize;

    private ChannelInput(String file, FileChannel channel, long size, int chunkSize, int windowSize, boolean readAhead) {
        super(file, chunkSize);
        this.channel = channel;
        this.size = size;
        this.limit = size;
        // At least a chunk: a record the heap buffer can hold is always within one window, or
        // (read ahead) within two consecutive ones.
        this.windowSize = Math.max(windowSize, chunkSize);
        this.readAhead = readAhead;
        this.window = readAhead ? null : ByteBuffer.allocateDirect(this.windowSize);
    }

    /** Files from this size on are read ahead on a thread of their own ({@link ReadAhead}), when there is a CPU for it. */
    static final long READ_AHEAD_MIN_BYTES = 8L << 20;
    /**
     * CPUs needed for reading ahead: one each for it, the parsing reader thread and the thread
     * that matches and reports. On two CPUs the three threads share them and the analysis takes
     * as long as without it (docs/performance.md, finding 22), so the extra thread is not started.
     */
    static final int READ_AHEAD_MIN_CPUS = 3;

    static ChannelInput open(Path path) throws IOException {
        return open(path, CHUNK_SIZE, WINDOW_SIZE, null);
    }

    /**
     * Chunk and window sizes as parameters so that tests can force records across both
     * boundaries; {@code readAhead} null decides by the file's size and the CPUs.
     */
    static ChannelInput open(Path path, int chunkSize, int windowSize, Boolean readAhead) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            boolean ahead = readAhead != null ? readAhead
                    : size >= READ_AHEAD_MIN_BYTES && Runtime.getRuntime().availableProcessors() >= READ_AHEAD_MIN_CPUS;
            return new ChannelInput(path.toString(), channel, size, chunkSize, windowSize, ahead);
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
        if (readAhead) {
            return copyReadAhead(from, length);
        }
        if (from < windowStart || from + length > windowEnd) {
            fill(from);
        }
        int copied = (int) Math.min(length, windowEnd - from);
        window.get((int) (from - windowStart), buf, 0, copied);
        return copied;
    }

    /**
     * {@link #copy} from the windows read ahead: consecutive windows of the file, of which the
     * bytes asked for (at most a chunk, a window's size) lie in at most two, the current one and
     * the one before it (a record that started there).
     */
    private int copyReadAhead(long from, int length) throws IOException {
        int copied = 0;
        while (copied < length) {
            long at = from + copied;
            ReadAhead.Window w = windowHolding(at);
            if (w == null) {
                break; // the input ends before `at`
            }
            int n = (int) Math.min(length - copied, w.start + w.length - at);
            w.bytes.get((int) (at - w.start), buf, copied, n);
            copied += n;
        }
        return copied;
    }

    /** The window that holds file offset {@code at}, taking windows as far as it; null past the input's end. */
    private ReadAhead.Window windowHolding(long at) throws IOException {
        if (previous != null && at >= previous.start && at < previous.start + previous.length) {
            return previous;
        }
        while (current == null || at >= current.start + current.length) {
            if (current != null && current.last(size)) {
                return null;
            }
            if (ahead == null) {
                ahead = new ReadAhead(channel, at, size, windowSize);
            }
            ahead.release(previous);
            previous = current;
            current = ahead.take();
            if (current.failure != null) {
                throw current.failure;
            }
            if (current.endedAt >= 0) {
                shrank(current.endedAt);
            }
        }
        if (at < current.start) {
            throw new IllegalStateException("offset " + at + " before the windows held, from " + current.start);
        }
        return current;
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
        try {
            if (ahead != null) {
                ahead.close();
            }
        } finally {
            channel.close();
        }
    }
}
