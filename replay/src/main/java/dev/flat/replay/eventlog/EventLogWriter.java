package dev.flat.replay.eventlog;

import dev.flat.core.event.EventRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an event log: the header, then records verbatim (kernel timestamps; the header's clock
 * offset converts them). Not thread-safe: one recording thread writes, flushes and closes.
 *
 * <p>Records are buffered and reach the file at least every {@link #FLUSH_INTERVAL_NS} or
 * {@link #FLUSH_RECORDS} records, whichever comes first, so that a crash or SIGKILL loses at most
 * about a second of events; {@link #close()} also forces them to the disk (fsync).
 *
 * <p>A failed write (ENOSPC, EIO) ends the log: the file is cut back to the last whole record, so
 * that everything kept reads back cleanly, and the exception names the file and how many records
 * it kept. Later writes fail at once; {@link #close()} still syncs and closes what is there.
 */
public final class EventLogWriter implements AutoCloseable {
    public static final long FLUSH_INTERVAL_NS = 1_000_000_000L;
    public static final int FLUSH_RECORDS = 4096;
    private static final int BUFFER_RECORDS = FLUSH_RECORDS;

    private final Path file;
    private final FileChannel channel;
    private final int headerLength;
    private final ByteBuffer buffer =
            ByteBuffer.allocateDirect(BUFFER_RECORDS * EventLogFormat.RECORD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private long recordsWritten;
    private long recordsKept;
    private long lastFlushNs = System.nanoTime();
    private EventLogWriteException failure;
    private boolean closed;

    private EventLogWriter(Path file, FileChannel channel, int headerLength) {
        this.file = file;
        this.channel = channel;
        this.headerLength = headerLength;
    }

    /** Creates (or truncates) the file and writes the header. */
    public static EventLogWriter create(Path file, EventLogHeader header) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        byte[] bytes = header.encode();
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            channel.close();
            throw new EventLogWriteException(file + ": cannot write the event log header: " + reason(e), e);
        }
        return new EventLogWriter(file, channel, bytes.length);
    }

    /** Appends a copy of the record's 80 bytes; writes the buffer out when it is full or a flush is due. */
    public void write(EventRecord record) throws IOException {
        checkUsable();
        ByteBuffer src = record.buffer();
        int at = record.offset();
        for (int i = 0; i < EventLogFormat.RECORD_SIZE; i += Long.BYTES) {
            buffer.putLong(src.getLong(at + i));
        }
        recordsWritten++;
        if (!buffer.hasRemaining()) {
            flush();
        } else {
            flushIfDue();
        }
    }

    /** Flushes when the flush interval has passed; a recorder calls this when idle too. */
    public void flushIfDue() throws IOException {
        if (buffer.position() > 0 && System.nanoTime() - lastFlushNs >= FLUSH_INTERVAL_NS) {
            flush();
        }
    }

    /** Hands the buffered records to the operating system (no fsync; {@link #close()} does that). */
    public void flush() throws IOException {
        checkUsable();
        lastFlushNs = System.nanoTime();
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            fail(e);
        }
        buffer.clear();
        recordsKept = recordsWritten;
    }

    /** Records accepted by {@link #write}. */
    public long recordsWritten() { return recordsWritten; }

    /** Records that reached the file (the rest are still buffered, or were lost to a failed write). */
    public long recordsKept() { return recordsKept; }

    public Path file() { return file; }

    /** Flushes, syncs to the disk and closes; idempotent. A failure to flush still closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure == null && buffer.position() > 0) {
                buffer.flip();
                try {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    recordsKept = recordsWritten;
                } catch (IOException e) {
                    fail(e);
                }
            }
            channel.force(true);
        } finally {
            channel.close();
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException(file + ": event log already closed");
        }
        if (failure != null) {
            throw new EventLogWriteException(failure.getMessage(), failure);
        }
    }

    /** Cuts the file back to whole records (a partial write may have left half of one) and throws. */
    private void fail(IOException cause) throws EventLogWriteException {
        long kept = recordsKept;
        try {
            long whole = (channel.size() - headerLength) / EventLogFormat.RECORD_SIZE;
            kept = Math.max(0, whole);
            channel.truncate(headerLength + kept * EventLogFormat.RECORD_SIZE);
        } catch (IOException ignored) {
            // Nothing more can be done; the reader copes with a cut-short trailing record.
        }
        recordsKept = kept;
        failure = new EventLogWriteException(file + ": writing the event log failed (" + reason(cause) + "); "
                + kept + " records kept", cause);
        throw failure;
    }

    private static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
