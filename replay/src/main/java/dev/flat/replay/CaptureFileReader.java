package dev.flat.replay;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import dev.flat.core.input.SkipReason;
import java.io.IOException;

/**
 * What the pcap and pcapng readers share: the chunked input, one frame parser and one event
 * record reused for every packet, the per-file packet number, and how a short file is reported.
 */
abstract class CaptureFileReader implements EventSource {
    /**
     * Largest captured length accepted, whatever the file header claims: libpcap's own maximum
     * snapshot length (MAXIMUM_SNAPLEN, 262144). Lengths are read from the file, so they are
     * checked against this before anything is sized or skipped by them.
     */
    static final int MAX_CAPTURED_LENGTH = 262_144;

    final String name;
    final ChunkedInput in;
    final InterfaceNames interfaces = new InterfaceNames();
    private final long size;
    private final FrameParser parser = new FrameParser();
    private final EventRecord record = EventRecord.allocate();
    /** Packet records read from this file so far (the number quoted in warnings). */
    long packetsInFile;

    CaptureFileReader(String name, ChunkedInput in, long size) {
        this.name = name;
        this.in = in;
        this.size = size;
    }

    @Override
    public final void drainTo(EventSink sink, InputStats stats) throws IOException {
        stats.addFile(name);
        readRecords(sink, stats);
    }

    abstract void readRecords(EventSink sink, InputStats stats) throws IOException;

    /**
     * Counts one packet record and hands its event, if it makes one, to the sink. A packet whose
     * frame is relevant but whose timestamp is unusable is counted under {@code timestampProblem}
     * (null when the timestamp is fine) instead of producing an event with a wrong time.
     */
    final void packet(int linkType, int off, int capLen, long tsNs, int tsDigits, int direction,
                      long ifindex, SkipReason timestampProblem, EventSink sink, InputStats stats) throws IOException {
        packet(linkType, off, capLen, capLen, tsNs, tsDigits, direction, ifindex, timestampProblem, sink, stats);
    }

    /**
     * The same for a frame of which only the first {@code copied} bytes are in the buffer (at
     * least {@link FrameParser#HEADERS_PREFIX} of a longer frame), the record having been checked
     * to hold all capLen: when the parser needs more, the whole frame is copied and parsed again
     * (the first attempt counted nothing).
     */
    final void packet(int linkType, int off, int capLen, int copied, long tsNs, int tsDigits, int direction,
                      long ifindex, SkipReason timestampProblem, EventSink sink, InputStats stats) throws IOException {
        packetsInFile++;
        stats.countPacket();
        boolean event = parser.parsePrefix(linkType, in.buffer(), off, capLen, copied, tsNs, tsDigits, direction,
                ifindex, record, stats);
        if (parser.needsWholeFrame()) {
            int frameInRecord = off - in.pos();
            if (!in.require(frameInRecord + capLen)) {
                throw new IllegalStateException("record checked to be in the file could not be read");
            }
            event = parser.parse(linkType, in.buffer(), in.pos() + frameInRecord, capLen, tsNs, tsDigits, direction,
                    ifindex, record, stats);
        }
        if (!event) {
            return;
        }
        if (timestampProblem != null) {
            stats.skip(timestampProblem);
            return;
        }
        stats.countEvent();
        sink.onEvent(record);
    }

    /** The file ended inside a record: keep what was read, say where it stopped. */
    final void cutShort(InputStats stats, long recordOffset) {
        stats.warn(name + ": cut short at offset " + recordOffset + " in packet " + (packetsInFile + 1)
                + "; results up to there kept");
    }

    /** End of input reached at a record boundary; a gzip stream missing its end is still short. */
    final void endOfInput(InputStats stats) {
        if (in.compressedStreamCutShort()) {
            cutShort(stats, in.offset());
        }
    }

    @Override
    public final InterfaceNames interfaces() { return interfaces; }

    @Override
    public final long position() { return in.filePosition(); }

    @Override
    public final long size() { return size; }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
