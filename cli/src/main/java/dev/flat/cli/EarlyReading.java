package dev.flat.cli;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.replay.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reading of {@code flat analyze ... FILE} started before the command line is parsed. picocli
 * takes about 0.1 s of the main thread to build its model from the commands' annotations; a large
 * capture's reader thread (opening the file, mapping it, parsing its first frames) runs meanwhile
 * on the other CPU instead of after it, into a ring large enough to hold what it reads in that
 * time (docs/performance.md, finding 29).
 *
 * <p>Nothing it does is visible until the parsed command adopts it ({@link #take}): the events
 * wait in the ring, counts and warnings in an {@link InputStats} of its own, and an error (a file
 * that is no capture) is left for the command to meet when it opens the file itself. The command
 * adopts it only for its first file, when that is the file guessed here, and abandons it
 * otherwise, as does the end of the command in every case (a usage error, another subcommand).
 * The guess ({@link #likelyFirstFile}) is read only when it is a regular file large enough to be
 * read on a thread of its own ({@link ReaderThread#worthwhile}); reading a file has no effect on
 * it, so a wrong guess costs only the work done on the other CPU.
 */
final class EarlyReading {
    /**
     * 2^18 events of 80 bytes, 20 MiB: room for what the reader makes before the command starts
     * taking events, 0.2-0.35 s after the JVM started (the two threads and the JIT share two CPUs
     * meanwhile). On the benchmark capture 20 000-62 000 events were waiting then; a ring of 2^17
     * was found full, i.e. the reader had waited.
     */
    static final int RING_SLOTS = 1 << 18;

    private static final AtomicReference<EarlyReading> started = new AtomicReference<>();

    private final Path file;
    private final InputStats stats;
    private final ReaderThread.Reading reading;
    private volatile boolean taken;

    private EarlyReading(Path file, InputStats stats, ReaderThread.Reading reading) {
        this.file = file;
        this.stats = stats;
        this.reading = reading;
    }

    /**
     * Called by {@code Main.main} with its arguments before anything else.
     *
     * @return the reading started, or null
     */
    static EarlyReading startIfLikely(String[] args) {
        Path file = Runtime.getRuntime().availableProcessors() < 2 ? null : likelyFirstFile(args, ReaderThread.MIN_BYTES);
        if (file == null) {
            return null;
        }
        InputStats stats = new InputStats();
        EarlyReading early = new EarlyReading(file, stats, ReaderThread.start(() -> Inputs.open(file), stats, RING_SLOTS));
        EarlyReading before = started.getAndSet(early);
        if (before != null) { // only tests start two
            before.abandonQuietly();
        }
        return early;
    }

    /**
     * The file {@code flat analyze} will most likely read first, when it is a regular file of at
     * least {@code minBytes}; otherwise null. That is the first argument after {@code analyze}
     * that names an existing regular file, skipping options and the report's file ({@code -o
     * FILE}); after {@code --} every argument is a file. Another option's value that names a file
     * (none does today) would make a wrong guess, which costs only the early reading.
     */
    static Path likelyFirstFile(String[] args, long minBytes) {
        if (args.length < 2 || !"analyze".equals(args[0])) {
            return null;
        }
        boolean optionsEnded = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded) {
                if (arg.equals("--")) {
                    optionsEnded = true;
                    continue;
                }
                if (arg.equals(ReportOptions.OUTPUT_SHORT) || arg.equals(ReportOptions.OUTPUT_LONG)) {
                    i++; // its value, the report's file
                    continue;
                }
                if (arg.startsWith("-")) {
                    continue;
                }
            }
            try {
                Path file = Path.of(arg);
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    return attributes.size() >= minBytes ? file : null;
                }
            } catch (IOException | InvalidPathException | SecurityException e) {
                // Not a file: an option's value, or a file the command will report missing.
            }
        }
        return null;
    }

    /**
     * The reading started early, if it is of {@code firstFile} and usable; any other is
     * abandoned. Called once by the command, before it writes anything; {@code output} (null for
     * standard output) is the report's file, which a reading of the same file must not have
     * started before the command opened it for writing.
     */
    static EarlyReading take(Path firstFile, Path output) throws IOException {
        EarlyReading early = started.getAndSet(null);
        if (early == null) {
            return null;
        }
        if (!early.file.equals(firstFile) || (output != null && isSameFile(early.file, output))) {
            early.reading.abandon();
            return null;
        }
        try {
            early.reading.source();
        } catch (IOException | RuntimeException e) {
            early.reading.abandon(); // the command opens the file again and reports what is wrong
            return null;
        }
        early.taken = true;
        return early;
    }

    /** Stops a reading the command did not take (it ended before its first file, or is no analyze). */
    static void abandonUntaken() {
        EarlyReading early = started.getAndSet(null);
        if (early != null) {
            early.abandonQuietly();
        }
    }

    private void abandonQuietly() {
        try {
            reading.abandon();
        } catch (IOException e) {
            // Nothing of it was used: closing the file is all that failed.
        }
    }

    /** Whether the command adopted this reading. */
    boolean taken() { return taken; }

    Path file() { return file; }

    /** The counts and warnings of the reading: the command's own from here on. */
    InputStats stats() { return stats; }

    EventSource source() throws IOException { return reading.source(); }

    ReaderThread.Reading reading() { return reading; }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return true; // cannot tell: do not use the early reading
        }
    }
}
