package dev.flat.cli;

import dev.flat.core.input.EventSource;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bytes read / size of the file being read, redrawn on one stderr line at most 10 times a
 * second by a daemon thread, so the reading loop carries no cost for it. It appears only after a
 * second, so short files never flash a bar, and {@link #close()} erases it.
 *
 * <p>The thread reads {@link EventSource#position()} while the reader advances it: a racy read
 * of a counter that only grows, good enough for a progress figure.
 */
final class ProgressBar implements AutoCloseable {
    private static final long FIRST_DRAW_MS = 1000;
    private static final long REDRAW_MS = 100; // ≤ 10 redraws per second
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final EventSource source;
    private final String name;
    private final ScheduledExecutorService timer;
    private int drawnWidth;

    /** @param firstDrawMs delay before the first draw (tests use 0) */
    ProgressBar(PrintWriter err, EventSource source, String name, long firstDrawMs) {
        this.err = err;
        this.source = source;
        this.name = name;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flat-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::draw, firstDrawMs, REDRAW_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * A bar when stderr is a terminal (System.console() != null), the user did not say
     * --no-progress and the size is known; otherwise nothing (null).
     */
    static ProgressBar startIfUseful(PrintWriter err, EventSource source, String name, boolean noProgress) {
        if (noProgress || System.console() == null || source.size() <= 0) {
            return null;
        }
        return new ProgressBar(err, source, name, FIRST_DRAW_MS);
    }

    private synchronized void draw() {
        long size = source.size();
        long pos = Math.min(Math.max(source.position(), 0), size);
        int filled = (int) (BAR_WIDTH * pos / size);
        String line = String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s / %s", name, "#".repeat(filled),
                " ".repeat(BAR_WIDTH - filled), 100 * pos / size, mib(pos), mib(size));
        drawnWidth = line.length() - 1;
        err.print(line);
        err.flush();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drawnWidth > 0) {
                err.print("\r" + " ".repeat(drawnWidth) + "\r");
                err.flush();
            }
        }
    }
}
