package dev.flat.replay.eventlog;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import dev.flat.core.input.SkipReason;
import dev.flat.replay.CountingInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an event log written by {@link EventLogWriter} (plain or gzip-compressed: the gzip magic
 * 1f 8b decides, never the name). Records leave with wall-clock timestamps: the header's clock
 * offset is added to the kernel's monotonic ts_ns. Every record counts as one packet; valid ones
 * as events, the others are skipped as {@link SkipReason#BAD_RECORD}.
 *
 * <p>Records are read in chunks into one reused buffer; the record handed to the sink is a view
 * into it, valid only during the call (see {@link EventSink}).
 */
public final class EventLogReader implements EventSource {
    private static final int CHUNK_RECORDS = 1024;
    private static final int GZIP_MAGIC = 0x8b1f;

    private final String name;
    private final CountingInputStream counted;
    private final InputStream in;
    private final long size;
    private final EventLogHeader header;
    private final int headerLength;
    private final InterfaceNames interfaces = new InterfaceNames();
    /** Set by {@link #requestStop} from another thread; read once per chunk of {@value #CHUNK_RECORDS} records. */
    private volatile boolean stopRequested;

    private EventLogReader(String name, CountingInputStream counted, InputStream in, long size) throws IOException {
        this.name = name;
        this.counted = counted;
        this.in = in;
        this.size = size;
        byte[] start = readHeaderBytes(new byte[EventLogFormat.PREFIX_LENGTH], 0);
        this.headerLength = EventLogHeader.headerLength(start, name);
        byte[] whole = new byte[headerLength];
        System.arraycopy(start, 0, whole, 0, start.length);
        this.header = EventLogHeader.decode(readHeaderBytes(whole, start.length), name);
        interfaces.put(header.ifindex(), header.interfaceName());
    }

    /** Opens a log file, decompressing it when it starts with the gzip magic. */
    public static EventLogReader open(Path file) throws IOException {
        CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
        try {
            InputStream buffered = new BufferedInputStream(counted, 1 << 16);
            buffered.mark(2);
            int magic = buffered.read() | buffered.read() << 8;
            buffered.reset();
            InputStream in = magic == GZIP_MAGIC ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            return new EventLogReader(file.toString(), counted, in, Files.size(file));
        } catch (IOException | RuntimeException e) {
            counted.close();
            throw e;
        }
    }

    /**
     * Reads a log from a stream already positioned at its first byte (decompressed, if it was
     * compressed): a pipe, which cannot be opened twice.
     *
     * @param fileBytes the stream's raw bytes as read from the file, counted for progress; closed with the reader
     * @param size      bytes of the file, or -1 when unknown
     */
    public static EventLogReader open(String name, CountingInputStream fileBytes, InputStream in, long size)
            throws IOException {
        return new EventLogReader(name, fileBytes, in, size);
    }

    public EventLogHeader header() { return header; }

    @Override
    public void drainTo(EventSink sink, InputStats stats) throws IOException {
        stats.addFile(name);
        byte[] chunk = new byte[CHUNK_RECORDS * EventLogFormat.RECORD_SIZE];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        EventRecord record = new EventRecord();
        long offset = headerLength;
        long records = 0;
        while (true) {
            if (stopRequested) {
                stats.warn("interrupted at offset " + offset + " in record " + (records + 1) + " of " + name
                        + "; results up to there kept");
                return;
            }
            int n = readChunk(chunk, offset, stats);
            int whole = n - n % EventLogFormat.RECORD_SIZE;
            for (int at = 0; at < whole; at += EventLogFormat.RECORD_SIZE) {
                record.wrap(buffer, at);
                stats.countPacket();
                records++;
                if (record.type() != EventRecord.TYPE_PACKET || record.version() != EventRecord.VERSION) {
                    stats.skip(SkipReason.BAD_RECORD);
                    continue;
                }
                record.tsNs(record.tsNs() + header.clockOffsetNs());
                stats.countEvent();
                sink.onEvent(record);
            }
            offset += whole;
            if (n < chunk.length) {
                if (n != whole) {
                    stats.warn(name + ": cut short at offset " + offset + "; " + records + " whole records kept");
                }
                return;
            }
        }
    }

    @Override
    public void requestStop() {
        stopRequested = true;
    }

    @Override
    public InterfaceNames interfaces() { return interfaces; }

    /** Bytes of the file read so far (compressed bytes for a gzip file, to match {@link #size()}). */
    @Override
    public long position() { return counted.count(); }

    @Override
    public long size() { return size; }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Fills the chunk as far as the log goes. A gzip stream that ends early reads as the end of the
     * log (the warning about a partial record follows); corrupt compressed data is an error.
     */
    private int readChunk(byte[] chunk, long offset, InputStats stats) throws IOException {
        int n = 0;
        try {
            while (n < chunk.length) {
                int r = in.read(chunk, n, chunk.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (EOFException e) {
            stats.warn(name + ": compressed stream cut short after offset " + (offset + n));
        } catch (ZipException e) {
            throw new InputException(name, offset + n, "corrupt gzip data: " + e.getMessage(), e);
        }
        return n;
    }

    private byte[] readHeaderBytes(byte[] into, int from) throws IOException {
        int n = in.readNBytes(into, from, into.length - from);
        if (from + n < into.length) {
            throw new InputException(name, from + n, "event log header cut short ("
                    + (from + n) + " of " + into.length + " bytes)");
        }
        return into;
    }
}
