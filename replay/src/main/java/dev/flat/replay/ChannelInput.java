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
 * chunk) before the parser reads a header of it (docs/performance.md, finding 2).
 *
 * <p>The file's size is taken once, when it is opened; a file that grows later is read up to
 * that size. One that shrinks while it is read (truncated, or rewritten by a capture still
 * running) ends where a read finds its new end: the readers treat it as a file cut short, keep
 * what they read and say that it shrank ({@link #shrankTo}).
 *
 * <p>A file of {@link #MAP_MIN_BYTES} or more is instead mapped, {@link #MAP_WINDOW} bytes at a
 * time, each mapping unmapped as soon as the next is made ({@link Unmapper}): the copies to the
 * heap then come straight from the page cache, and the kernel's copy into the direct buffer, a
 * third of the reading thread's time on a large capture, is not made at all (docs/performance.md,
 * finding 26). The file's size is checked around every copy from a mapping, so a file that
 * shrinks is noticed before bytes it no longer has are handed on; it is then read, as a small
 * one is, and the read finds where it ends.
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
    /**
     * Least bytes copied per refill from a mapping: after each copy the file's size is checked
     * (one fstat), so that bytes a shrinking file no longer has are never handed on (a mapping
     * reads them as zeros up to the end of the page its new end is in); 128 KiB makes that a
     * system call per 128 KiB, and the copy still stays in the core's cache while it is parsed.
     */
    static final int MIN_COPY_MAPPED = 128 << 10;

    /** Files from this size on are mapped rather than read (smaller ones take a few ms either way). */
    static final long MAP_MIN_BYTES = 8L << 20;
    /**
     * Bytes mapped at once: 32 MiB, at most that much of the file in the resident set at a time.
     * 4 MiB measured slower (more mappings, each a system call and page-table set-up); 16 MiB to
     * 256 MiB alike within the noise (finding 26).
     */
    static final int MAP_WINDOW = 32 << 20;

    private final FileChannel channel;
    private final long size;
    /** Where the input ends: the size when opened, or the end a read found when the file had shrunk. */
    private long limit;
    private long shrankTo = -1;
    /** File bytes [windowStart, windowEnd): the direct buffer last read into, or the current mapping. */
    private ByteBuffer window;
    private long windowStart;
    private long windowEnd;
    /** Bytes per window: what a read fills, or what is mapped at once. */
    private final int windowSize;
    /** Whether windows are mappings; false from the start for small files, or once the file was found shorter. */
    private boolean mapping;

    private ChannelInput(String file, FileChannel channel, long size, int chunkSize, int windowSize, boolean map) {
        super(file, chunkSize);
        this.channel = channel;
        this.size = size;
        this.limit = size;
        // At least a chunk: a record the heap buffer can hold is always within one window.
        this.windowSize = Math.max(windowSize, chunkSize);
        this.mapping = map;
        this.window = map ? null : ByteBuffer.allocateDirect(this.windowSize);
    }

    static ChannelInput open(Path path) throws IOException {
        return open(path, CHUNK_SIZE, WINDOW_SIZE, null);
    }

    /**
     * Chunk and window sizes as parameters so that tests can force records across both
     * boundaries; {@code map} null maps files of {@link #MAP_MIN_BYTES} or more (with {@link
     * #MAP_WINDOW}-byte mappings) when the JVM can unmap them.
     */
    static ChannelInput open(Path path, int chunkSize, int windowSize, Boolean map) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            boolean mapped = Unmapper.available() && (map != null ? map : size >= MAP_MIN_BYTES);
            int window = map == null && mapped ? MAP_WINDOW : windowSize;
            return new ChannelInput(path.toString(), channel, size, chunkSize, window, mapped);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** File size when opened: the end of the input unless the file shrinks while it is read. */
    long size() { return size; }

    @Override
    long shrankTo() { return shrankTo; }

    /** Whether the file is being read through mappings (large, and not found to have shrunk). */
    boolean mapped() { return mapping; }

    /** Whether the input holds n more bytes from {@link #offset()}, as far as its size is known. */
    boolean holds(long n) { return limit - offset() >= n; }

    @Override
    long filePosition() { return offset(); }

    @Override
    boolean require(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        checkCapacity(n);
        long from = offset();
        int least = mapping ? MIN_COPY_MAPPED : MIN_COPY;
        int length = copy(from, (int) Math.min(Math.min(Math.max(n, least), buf.length), limit - from));
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
        if (!mapping) {
            window.get((int) (from - windowStart), buf, 0, copied);
            return copied;
        }
        // A mapping must not be touched past the file's end: a page wholly past it faults (the
        // JVM throws an InternalError, in compiled code at some later point), and the page the
        // end is in reads as zeros past it. So the file's size is checked before the copy (no
        // fault) and after it (no zeros: the bytes were the file's while they were copied). A
        // file that shrank is read from here on, which finds where it ends now and says so, as
        // for a small file. Left: a truncation in the microseconds between the first check and
        // the copy faults (docs/capture-formats.md).
        if (channel.size() >= from + copied) {
            window.get((int) (from - windowStart), buf, 0, copied);
            if (channel.size() >= from + copied) {
                return copied;
            }
        }
        stopMapping();
        return copy(from, length);
    }

    /** From here on, reads into a direct buffer: the file was found shorter than a mapping would need. */
    private void stopMapping() {
        unmapWindow();
        mapping = false;
        window = ByteBuffer.allocateDirect(windowSize);
        windowStart = 0;
        windowEnd = 0;
    }

    /** Unmaps the current mapping, if any, and drops the only reference to it. */
    private void unmapWindow() {
        if (mapping && window != null) {
            ByteBuffer m = window;
            window = null;
            windowEnd = windowStart; // nothing held: the next copy maps again
            Unmapper.unmap(m);
        }
    }

    /**
     * Makes the window start at {@code from}: maps the next {@link #windowSize} bytes, or reads
     * them into the direct buffer, as far as it holds or the input goes.
     */
    private void fill(long from) throws IOException {
        if (mapping) {
            unmapWindow();
            long n = Math.min(windowSize, limit - from);
            if (channel.size() < from + n) { // shrunk: mapping it would need the file extended
                stopMapping();
                fill(from);
                return;
            }
            window = channel.map(FileChannel.MapMode.READ_ONLY, from, n);
            windowStart = from;
            windowEnd = from + n;
            return;
        }
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
            unmapWindow();
        } finally {
            channel.close();
        }
    }
}
