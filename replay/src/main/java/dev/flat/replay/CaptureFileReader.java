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
    private final CountingInputStream fileBytes;
    private final long size;
    private final FrameParser parser = new FrameParser();
    private final EventRecord record = EventRecord.allocate();
    /** Packet records read from this file so far (the number quoted in warnings). */
    long packetsInFile;

    CaptureFileReader(String name, ChunkedInput in, CountingInputStream fileBytes, long size) {
        this.name = name;
        this.in = in;
        this.fileBytes = fileBytes;
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
                      long ifindex, SkipReason timestampProblem, EventSink sink, InputStats stats) {
        packetsInFile++;
        stats.countPacket();
        if (!parser.parse(linkType, in.buffer(), off, capLen, tsNs, tsDigits, direction, ifindex, record, stats)) {
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
    public final long position() { return fileBytes.count(); }

    @Override
    public final long size() { return size; }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
