package dev.flat.replay;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import dev.flat.core.input.ReadAhead;
import dev.flat.core.input.SkipReason;
import java.io.IOException;

/**
 * What the pcap and pcapng readers share: the chunked input, one frame parser and one event
 * record reused for every packet, the per-file packet number, how a short file is reported and
 * how a {@link #requestStop} is honoured.
 */
abstract class CaptureFileReader implements EventSource {
    /**
     * Largest captured length accepted, whatever the file header claims: libpcap's own maximum
     * snapshot length (MAXIMUM_SNAPLEN, 262144). Lengths are read from the file, so they are
     * checked against this before anything is sized or skipped by them.
     */
    static final int MAX_CAPTURED_LENGTH = 262_144;
    /**
     * Records (pcapng: blocks) in a row that {@link #recordChainAt} wants before it takes an
     * offset for a record's start: a false start must fit 8 records' worth of plausible fields end
     * to end.
     */
    static final int CHAIN = 8;
    /** Fewer are enough when the next record lies beyond the bytes at hand (records of many KiB). */
    static final int SHORT_CHAIN = 3;

    final String name;
    final ChunkedInput in;
    final InterfaceNames interfaces = new InterfaceNames();
    private final long size;
    private final FrameParser parser = new FrameParser();
    private final EventRecord record = EventRecord.allocate();
    /** Packet records read from this file so far (the number quoted in warnings). */
    long packetsInFile;
    /** Set by {@link #requestStop} from another thread; read by {@link #stopsHere} once per refill. */
    private volatile boolean stopRequested;
    /** {@link ChunkedInput#refills} when {@link #stopsHere} last looked at the flag. */
    private int refillsChecked;
    /**
     * The record (or block) offset from which the loop calls {@link #marks} before reading it: a
     * batch read ahead may start there, or it is time to look for one; for a reader of a stretch
     * ahead, its end. One compare per record, and the loop is the same for both roles.
     */
    long mark = Long.MAX_VALUE;
    /**
     * What the loop calls at its {@link #mark}, in either role: one final class rather than an
     * interface with one class per role, so that the call is bound without a type check. With
     * two classes behind an interface, C2 inlined the one a training run's profile had seen
     * and, when the other came, trapped back to the interpreter time after time: the reader's
     * loop ran in slower code for half a second (docs/performance.md, finding 34).
     */
    CaptureReadAhead marks;
    private CaptureReadAhead readAhead;

    CaptureFileReader(String name, ChunkedInput in, long size) {
        this.name = name;
        this.in = in;
        this.size = size;
    }

    @Override
    public final void drainTo(EventSink sink, InputStats stats) throws IOException {
        stats.addFile(name);
        long outOfRangeBefore = stats.timestampsOutOfRange();
        try {
            readRecords(sink, stats);
        } finally {
            long outOfRange = stats.timestampsOutOfRange() - outOfRangeBefore;
            if (outOfRange > 0) {
                stats.warn(name + ": " + outOfRange + " measured packet" + (outOfRange == 1 ? " has" : "s have")
                        + " a time field out of range, read as Wireshark reads it: latencies between them exact,"
                        + " their clock times possibly not when they were captured");
            }
        }
    }

    abstract void readRecords(EventSink sink, InputStats stats) throws IOException;

    /**
     * A mapped file can be read ahead by the thread that consumes the events ({@link
     * CaptureReadAhead}); a stream or a small file read with positional reads cannot. Called on
     * the reading thread before {@link #drainTo}.
     */
    @Override
    public final ReadAhead readAhead() {
        if (readAhead == null && in instanceof ChannelInput channel && channel.mapped()) {
            attach(new CaptureReadAhead(this, channel));
        }
        return readAhead;
    }

    /** Makes this reader take the stretches the given work reads ahead (tests give it small sizes). */
    final CaptureReadAhead attach(CaptureReadAhead work) {
        readAhead = work;
        marks = work;
        mark = 0;
        return work;
    }

    /** A reader of the same file's records through another input, to read stretches ahead with. */
    abstract CaptureFileReader stretchReader(ChunkedInput other);

    /**
     * Whether a plausible chain of records starts at {@code b[p]}, the bytes up to {@code end}
     * at hand: only a guess at a record's start in the middle of a file, taken once the reader's
     * own chain reaches exactly that offset ({@link CaptureReadAhead}).
     */
    abstract boolean recordChainAt(byte[] b, int p, int end);

    /**
     * On a stretch reader, before a stretch: takes what the records to come depend on from the
     * file's own reader (pcapng: the byte order and interfaces as it last published them) and
     * returns that state's version, which the reader must still have when it takes the stretch;
     * negative when there is none to take yet. Classic pcap has no such state: its header says
     * everything.
     */
    long takeStateFrom(CaptureFileReader reader) { return 0; }

    /** The version of the state {@link #takeStateFrom} takes, on the reader's own thread. */
    long stateVersion() { return 0; }

    /**
     * Counts one packet record and hands its event, if it makes one, to the sink. A packet whose
     * frame is relevant but has no time is counted {@code no_timestamp} instead of becoming an
     * event; one whose time field is out of range becomes an event and is counted too
     * ({@link PacketTime}).
     */
    final void packet(int linkType, int off, int capLen, long tsNs, int tsDigits, int direction,
                      long ifindex, PacketTime time, EventSink sink, InputStats stats) throws IOException {
        if (!packet(linkType, off, capLen, capLen, tsNs, tsDigits, direction, ifindex, time, sink, stats)) {
            throw new IllegalStateException("a frame wholly in the buffer could not be read");
        }
    }

    /**
     * The same for a frame of which only the first {@code copied} bytes are in the buffer (at
     * least {@link FrameParser#HEADERS_PREFIX} of a longer frame), the record having been checked
     * to hold all capLen: when the parser needs more, the whole frame is copied and parsed again
     * (the first attempt counted nothing).
     *
     * @return false, with nothing counted, when the rest of the frame is no longer in the file:
     *         it shrank after the record was checked; the caller reports the record cut short
     */
    final boolean packet(int linkType, int off, int capLen, int copied, long tsNs, int tsDigits, int direction,
                         long ifindex, PacketTime time, EventSink sink, InputStats stats)
            throws IOException {
        boolean event = parser.parsePrefix(linkType, in.buffer(), off, capLen, copied, tsNs, tsDigits, direction,
                ifindex, record, stats);
        if (parser.needsWholeFrame()) {
            int frameInRecord = off - in.pos();
            if (!in.require(frameInRecord + capLen)) {
                return false;
            }
            event = parser.parse(linkType, in.buffer(), in.pos() + frameInRecord, capLen, tsNs, tsDigits, direction,
                    ifindex, record, stats);
        }
        packetsInFile++;
        stats.countPacket();
        if (!event) {
            return true;
        }
        if (time != PacketTime.VALID) {
            if (time == PacketTime.ABSENT) {
                stats.skip(SkipReason.NO_TIMESTAMP);
                return true;
            }
            stats.countTimestampOutOfRange();
        }
        stats.countEvent();
        sink.onEvent(record);
        return true;
    }

    /** The file ended inside a record: keep what was read, say where it stopped (and why, if known). */
    final void cutShort(InputStats stats, long recordOffset) {
        String where = "at offset " + recordOffset + " in packet " + (packetsInFile + 1);
        long shrankTo = in.shrankTo();
        stats.warn(shrankTo < 0
                ? name + ": cut short " + where + "; results up to there kept"
                : name + ": the file shrank to " + shrankTo + " bytes while it was read: cut short " + where
                        + "; results up to there kept");
    }

    /**
     * End of input reached at a record boundary; a gzip stream missing its end, or a file that
     * shrank to this boundary while it was read, is still short.
     */
    final void endOfInput(InputStats stats) {
        if (in.compressedStreamCutShort() || in.shrankTo() >= 0) {
            cutShort(stats, in.offset());
        }
    }

    /** May be called from any thread; see {@link EventSource#requestStop}. */
    @Override
    public final void requestStop() {
        stopRequested = true;
    }

    /**
     * Called at every record boundary: true when reading is to stop there for
     * {@link #requestStop}, with the warning that says where. The volatile flag is read only after
     * the buffer was refilled (from 8 KiB of a plain file to a MiB of a gzip stream, or one large
     * record), so a packet costs a compare of a plain field; the stop comes within one refill.
     */
    final boolean stopsHere(InputStats stats) {
        if (in.refills == refillsChecked) {
            return false;
        }
        refillsChecked = in.refills;
        if (!stopRequested) {
            return false;
        }
        stats.warn("interrupted at offset " + in.offset() + " in packet " + (packetsInFile + 1) + " of " + name
                + "; results up to there kept");
        return true;
    }

    @Override
    public final InterfaceNames interfaces() { return interfaces; }

    @Override
    public final long position() { return in.filePosition(); }

    @Override
    public final long size() { return size; }

    @Override
    public final void close() throws IOException {
        try {
            in.close();
        } finally {
            closeOthers();
        }
    }

    /** Closes what a reader opened besides its input: the second input it read ahead through. */
    private void closeOthers() throws IOException {
        if (readAhead != null) {
            readAhead.close();
        }
    }
}
