package dev.flat.replay;

import dev.flat.core.event.EventBatch;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.ReadAhead;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A large capture file (classic pcap or pcapng, mapped) read on two threads: the reader's own
 * and, while it waits for events, the thread that consumes them (docs/performance.md, finding 31).
 *
 * <pre>
 *   file   ...reader's records...|  stretch j  |  stretch j+1  |...reader's records...
 *   reader: parses its records ─▶ at j's first record: hands on batch j, skips to its end ─▶
 *   consumer, when idle: finds a record start {@value #LEAD_BYTES_MIB} MiB or more ahead of the
 *            reader, parses {@value #STRETCH_BYTES_MIB} MiB of records from there into batch j
 * </pre>
 *
 * A record's start in the middle of a file is only a guess ({@link
 * CaptureFileReader#recordChainAt}): nothing in a pcap record marks it, and a pcapng block's
 * framing can occur inside a packet's data. The guess costs nothing when wrong, because the
 * reader takes a stretch only when its own record chain, read from the file's start, reaches
 * exactly the stretch's first offset; the stretch's records are then the reader's records,
 * parsed by the same code from the same state, so the events and counts are the same as when
 * the reader parses them itself. That state is the packet number and counts, and for pcapng the
 * section's byte order and interfaces: a stretch starts from the ones the reader last published
 * and is taken only if the reader still has them (no section or interface block between), and
 * a stretch that meets such a block is dropped. So is a stretch the reader passes without landing
 * on its start, or reaches before it is read, or whose reading met anything a warning or an
 * error would be about (a record cut short, a file that shrank, a bogus length): the reader then
 * reads those records itself and reports what it meets at the offset and packet number it would
 * have.
 *
 * <p>Threads: {@link #atMark} runs on the reader's thread, {@link #readNext} on the
 * consumer's. They share the stretches, each with a volatile state, and the reader's position.
 */
final class CaptureReadAhead implements ReadAhead {
    static final int STRETCH_BYTES = 1 << 20;
    /**
     * How far ahead of the reader a stretch starts: the reader passes 8 MiB in about 2 ms, time
     * for a stretch to be read even when the consuming thread loses its CPU meanwhile. With 4 MiB,
     * 6–7 % of the stretches read were overtaken and wasted; with 8 MiB, 1.5–2 % (finding 31).
     */
    static final int LEAD_BYTES = 8 << 20;
    private static final int STRETCH_BYTES_MIB = STRETCH_BYTES >> 20;
    private static final int LEAD_BYTES_MIB = LEAD_BYTES >> 20;
    /** How often the reader says where it is and looks for a stretch to take. */
    static final int POLL_BYTES = 128 << 10;
    /** Stretches read ahead and not yet handed on, at most (each a batch of events). */
    static final int STRETCHES = 8;
    /** Candidate offsets tried for a record's start before the stretch is left to the reader. */
    static final int SEARCH_BYTES = 64 << 10;
    /** The fewest bytes a record's start is guessed from (a pcap record header; a pcapng block's head and trailer need more). */
    private static final int CHAIN_HEAD_BYTES = PcapReader.RECORD_HEADER;
    /**
     * Stretches in a row that could not be read (no record's start found, a false start, a
     * section or interface block met, overtaken by the reader) after which the reading ahead
     * stops: a file whose records it cannot find costs the consuming thread a search per MiB.
     */
    static final int GIVE_UP_AFTER = 16;
    /** Bytes mapped at once by the consumer's input. */
    static final int MAP_WINDOW = 16 << 20;
    /**
     * The fewest bytes a record that makes an event takes: a pcap record header (a pcapng packet
     * block's is larger), an IPv4 header and a UDP one (raw IP link type). A batch holds a
     * stretch's events at that density; a denser stretch overflows it and is left to the reader.
     */
    private static final int SMALLEST_EVENT_RECORD =
            PcapReader.RECORD_HEADER + FrameParser.IPV4_MIN_HEADER + FrameParser.UDP_HEADER;

    private static final int FREE = 0;
    private static final int READY = 1;
    private static final int PASSED_OVER = 2;
    private static final int HANDED_ON = 3;

    /** A stretch of records read ahead: where it starts and ends, its events and counts. */
    private static final class Stretch {
        final EventBatch events;
        long start;
        long end;
        long packets;
        /** The reader's state version the stretch was read from ({@link CaptureFileReader#takeStateFrom}). */
        long stateVersion;
        InputStats stats;
        volatile int state = FREE;

        Stretch(int capacity) {
            events = new EventBatch(capacity);
        }

        /** Whether the consumer may fill it again: never published, passed over, or handed on and drained. */
        boolean reusable() {
            int s = state;
            return s == FREE || s == PASSED_OVER || s == HANDED_ON && events.drained();
        }
    }

    private final CaptureFileReader reader;
    private final ChannelInput readerInput;
    private final Path file;
    private final long size;
    private final int stretchBytes;
    private final int leadBytes;
    private final int pollBytes;
    private final Stretch[] stretches = new Stretch[STRETCHES];
    /** The record offset where the reader last looked for a stretch: the consumer reads ahead of it. */
    private volatile long readerPosition;

    // The reader's thread
    /** Stretches the reader has taken or passed over; the next one it looks at is {@code stretches[looked % STRETCHES]}. */
    private long looked;
    private Stretch pending;
    private long handedOn;
    private long passedOver;

    // The consumer's thread
    private ChannelInput input;
    private CaptureFileReader stretchReader;
    private final StretchEnd stretchEnd = new StretchEnd();
    /** Stretches published; the next one filled is {@code stretches[filled % STRETCHES]}. */
    private long filled;
    /** The earliest offset the next stretch may start from. */
    private long next;
    private boolean givenUp;
    private int failedInARow;

    CaptureReadAhead(CaptureFileReader reader, ChannelInput readerInput) {
        this(reader, readerInput, STRETCH_BYTES, LEAD_BYTES, POLL_BYTES);
    }

    /** Sizes as parameters so that tests read small files in many stretches. */
    CaptureReadAhead(CaptureFileReader reader, ChannelInput readerInput, int stretchBytes, int leadBytes, int pollBytes) {
        this.reader = reader;
        this.readerInput = readerInput;
        this.file = Path.of(readerInput.file);
        this.size = reader.size();
        this.stretchBytes = stretchBytes;
        this.leadBytes = leadBytes;
        this.pollBytes = pollBytes;
        for (int i = 0; i < STRETCHES; i++) {
            stretches[i] = new Stretch(stretchBytes / SMALLEST_EVENT_RECORD + 1);
        }
    }

    /** Stretches the reader handed on instead of reading them (for tests and measurements). */
    long handedOn() { return handedOn; }

    /** Stretches read ahead that the reader passed over and read itself. */
    long passedOver() { return passedOver; }

    /** Whether the consumer has stopped reading ahead (read on its thread). */
    boolean givenUp() { return givenUp; }

    // ---- the reader's thread ----

    /**
     * Called by a record loop at a record boundary at or after its {@link CaptureFileReader#mark}:
     * the reader's ({@link #atReaderMark}) or the stretch reader's ({@link StretchEnd#atMark}).
     * Sets the loop's next mark (past the offset, unless it moved the input) and returns true to
     * end the reading there.
     */
    boolean atMark(CaptureFileReader r, long recordOffset, EventSink sink, InputStats stats) throws IOException {
        // stretchReader is the consuming thread's; the reader's thread may see it null or late,
        // which is no matter: the reader is never the stretch reader.
        return r == stretchReader ? stretchEnd.atMark(r, recordOffset) : atReaderMark(r, recordOffset, sink, stats);
    }

    /**
     * At a record boundary at or after the reader's mark: takes the pending stretch if it starts
     * exactly here (hands its batch on, adds its counts, skips its bytes), drops it if the reader
     * is past its start, says where the reader is, and looks for the next stretch.
     */
    private boolean atReaderMark(CaptureFileReader r, long recordOffset, EventSink sink, InputStats stats)
            throws IOException {
        long offset = recordOffset;
        Stretch s = pending;
        if (s != null && offset >= s.start) {
            pending = null;
            looked++;
            if (offset == s.start && r.stateVersion() == s.stateVersion && readerInput.holds(s.end - offset)) {
                stats.addCounts(s.stats);
                r.packetsInFile += s.packets;
                readerInput.skip(s.end - offset);
                s.state = HANDED_ON;
                sink.onBatch(s.events);
                handedOn++;
                offset = readerInput.offset();
            } else {
                s.state = PASSED_OVER;
                passedOver++;
            }
        }
        readerPosition = offset;
        while (pending == null) {
            Stretch candidate = stretches[(int) (looked % STRETCHES)];
            if (candidate.state != READY) {
                break;
            }
            if (candidate.start >= offset) {
                pending = candidate;
            } else {
                candidate.state = PASSED_OVER;
                passedOver++;
                looked++;
            }
        }
        r.mark = pending != null ? Math.min(pending.start, offset + pollBytes) : offset + pollBytes;
        return false;
    }

    // ---- the consumer's thread ----

    @Override
    public boolean readNext() {
        if (givenUp) {
            return false;
        }
        Stretch s = stretches[(int) (filled % STRETCHES)];
        if (!s.reusable()) {
            return false;
        }
        long from = Math.max(next, readerPosition + leadBytes);
        long endAt = from + stretchBytes;
        if (endAt > size) {
            return false; // the rest is the reader's: it is there sooner than a stretch would be read
        }
        next = endAt;
        try {
            if (input == null) {
                input = ChannelInput.open(file, ChunkedInput.CHUNK_SIZE, MAP_WINDOW, true);
                stretchReader = reader.stretchReader(input);
                stretchReader.marks = this;
            }
            if (from < input.offset()) {
                throw new IllegalStateException("read ahead backwards: " + from + " < " + input.offset());
            }
            // The state first: a pcapng block's framing is read in its section's byte order.
            long stateVersion = stretchReader.takeStateFrom(reader);
            long start = stateVersion < 0 ? -1 : findRecordStart(from);
            if (start >= 0 && read(s, start, endAt, stateVersion)) {
                next = s.end;
                s.state = READY;
                filled++;
                failedInARow = 0;
            } else {
                failed();
            }
        } catch (InputException e) {
            failed(); // a false start ran into a length no record has: the reader reads these bytes itself
        } catch (IOException | RuntimeException e) {
            // The consumer's own input failed (the reader's is another and reports its own
            // failures): no more reading ahead, the reader reads the rest by itself.
            givenUp = true;
            closeQuietly();
        }
        return true;
    }

    private void failed() {
        if (++failedInARow == GIVE_UP_AFTER) {
            givenUp = true;
            closeQuietly();
        }
    }

    /** The first offset in [from, from + SEARCH_BYTES) where a chain of record headers starts, or -1; the input is left there. */
    private long findRecordStart(long from) throws IOException {
        input.skip(from - input.offset());
        if (!input.require((int) Math.min(SEARCH_BYTES + CHAIN_HEAD_BYTES, size - from))) {
            return -1; // the file shrank: the reader finds out and says so
        }
        byte[] b = input.buffer();
        int p = input.pos();
        int end = p + input.available();
        int last = Math.min(end - CHAIN_HEAD_BYTES, p + SEARCH_BYTES);
        for (int at = p; at <= last; at++) {
            if (stretchReader.recordChainAt(b, at, end)) {
                input.advance(at - p);
                return from + (at - p);
            }
        }
        return -1;
    }

    /** Reads the records from start until the first at or after endAt into s; false when s is not to be handed on. */
    private boolean read(Stretch s, long start, long endAt, long stateVersion) throws IOException {
        s.state = FREE; // before its batch is cleared: a drained batch no longer says it was
        s.events.clear();
        s.stats = new InputStats();
        s.start = start;
        s.stateVersion = stateVersion;
        stretchReader.packetsInFile = 0;
        stretchEnd.begin(start, endAt);
        stretchReader.readRecords(s.events, s.stats);
        if (!stretchEnd.reached || !s.stats.warnings().isEmpty() || s.events.overflowed()) {
            return false;
        }
        s.end = input.offset();
        s.packets = stretchReader.packetsInFile;
        return true;
    }

    /** The stretch reader's marks: its end, and every {@link #pollBytes} whether the reader has overtaken it. */
    private final class StretchEnd {
        private long start;
        private long endAt;
        boolean reached;

        void begin(long start, long endAt) {
            this.start = start;
            this.endAt = endAt;
            reached = false;
            stretchReader.mark = Math.min(endAt, start + pollBytes);
        }

        boolean atMark(CaptureFileReader r, long recordOffset) {
            if (recordOffset >= endAt) {
                reached = true;
                return true;
            }
            if (readerPosition > start) {
                return true; // overtaken: the reader reads these records itself
            }
            r.mark = Math.min(endAt, recordOffset + pollBytes);
            return false;
        }
    }

    /** Closes the consumer's input; the source's close calls it, on the consumer's thread. */
    void close() throws IOException {
        if (input != null) {
            input.close();
            input = null;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // nothing read through it is used any more
        }
    }
}
