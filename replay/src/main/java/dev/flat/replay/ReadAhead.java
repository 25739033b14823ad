package dev.flat.replay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a file from a position to its end in consecutive windows, on a thread of its own, a few
 * windows ahead of the one reading them. The kernel's copy out of the page cache is a third of the
 * reading thread's time on a large capture (docs/performance.md, finding 22); here it runs beside
 * the parsing instead of before each window of it.
 *
 * <p>The reading thread takes the windows in file order ({@link #take}) and gives each back
 * ({@link #release}) when it no longer needs its bytes. A read that finds the file shorter than
 * its size when opened ends the windows there ({@link Window#endedAt}); a failed read is handed
 * over in its place ({@link Window#failure}), after every window read before it.
 */
final class ReadAhead implements AutoCloseable {
    /** Windows in all: two held by the reader (a record can span two) and two being filled ahead. */
    static final int WINDOWS = 4;

    /** One window of the file: bytes [start, start + length) in {@link #bytes} from index 0. */
    static final class Window {
        final ByteBuffer bytes;
        long start;
        int length;
        /** Where a read found the end of a file that shrank, or -1: no window follows this one. */
        long endedAt = -1;
        /** The read that failed instead of filling this window; no window follows this one. */
        IOException failure;

        Window(int size) {
            bytes = ByteBuffer.allocateDirect(size);
        }

        boolean last(long limit) {
            return endedAt >= 0 || failure != null || start + length >= limit;
        }
    }

    private final BlockingQueue<Window> free = new ArrayBlockingQueue<>(WINDOWS);
    private final BlockingQueue<Window> filled = new ArrayBlockingQueue<>(WINDOWS);
    private final Thread thread;
    private volatile boolean closed;

    /** Starts reading {@code channel} from {@code from} up to {@code limit} (its size when opened). */
    ReadAhead(FileChannel channel, long from, long limit, int windowSize) {
        for (int i = 0; i < WINDOWS; i++) {
            free.add(new Window(windowSize));
        }
        thread = new Thread(() -> fill(channel, from, limit), "flat-read-ahead");
        thread.setDaemon(true); // never keeps the JVM alive
        thread.start();
    }

    private void fill(FileChannel channel, long from, long limit) {
        long position = from;
        try {
            while (!closed) {
                Window w = free.take();
                w.start = position;
                w.bytes.clear();
                int want = (int) Math.min(w.bytes.capacity(), limit - position);
                try {
                    while (w.bytes.position() < want) {
                        if (channel.read(w.bytes, position + w.bytes.position()) < 0) {
                            w.endedAt = position + w.bytes.position();
                            break;
                        }
                    }
                } catch (IOException e) {
                    w.failure = e;
                }
                w.length = w.bytes.position();
                position += w.length;
                filled.put(w);
                if (w.last(limit)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed while waiting for a window or for room: nothing more to read
        }
    }

    /** The next window in file order; it stays valid until it is released. */
    Window take() throws IOException {
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file to be read");
        }
    }

    void release(Window w) {
        if (w != null && !free.offer(w)) {
            throw new IllegalStateException("a window released twice");
        }
    }

    /** Stops reading ahead; returns once the reading thread has stopped. */
    @Override
    public void close() {
        closed = true;
        // Out of a wait for a free window; a read in progress is abandoned and closes the channel
        // (FileChannel is interruptible), which the closing ChannelInput is about to do anyway.
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
