package dev.flat.bench.jmh;

import dev.flat.bench.CaptureWriter;
import dev.flat.bench.ExpectedCounts;
import dev.flat.bench.WorkloadGenerator;
import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.replay.FrameParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A generated workload held in memory three ways, one per pipeline stage: the classic pcap file
 * bytes (reader input), the frames with their timestamps (parser input) and the event records
 * the parser makes of them (matcher input). Built once per benchmark trial.
 */
final class InMemoryCapture {
    static final int LINKTYPE_ETHERNET = 1;
    private static final int PCAP_FILE_HEADER = 24;
    private static final int PCAP_RECORD_HEADER = 16;

    /** Classic pcap bytes: {@code pcap[0, pcapLength)}. */
    final byte[] pcap;
    final int pcapLength;
    final int packets;
    final int[] frameOffset;
    final int[] frameLength;
    final long[] frameTsNs;
    final ExpectedCounts expected;

    private InMemoryCapture(byte[] pcap, int pcapLength, int packets, ExpectedCounts expected) {
        this.pcap = pcap;
        this.pcapLength = pcapLength;
        this.packets = packets;
        this.expected = expected;
        this.frameOffset = new int[packets];
        this.frameLength = new int[packets];
        this.frameTsNs = new long[packets];
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int pos = PCAP_FILE_HEADER;
        for (int i = 0; i < packets; i++) {
            frameTsNs[i] = (b.getInt(pos) & 0xFFFF_FFFFL) * 1_000_000_000L + b.getInt(pos + 4);
            frameLength[i] = b.getInt(pos + 8);
            frameOffset[i] = pos + PCAP_RECORD_HEADER;
            pos += PCAP_RECORD_HEADER + frameLength[i];
        }
    }

    static InMemoryCapture generate(int packets, long seed) {
        return generate(packets, seed, WorkloadGenerator.DEFAULT_SNAP_LENGTH);
    }

    static InMemoryCapture generate(int packets, long seed, int snapLength) {
        // The workload averages under 500 bytes per frame plus a 16-byte record header.
        Bytes out = new Bytes((int) Math.min(Integer.MAX_VALUE - 8, (long) packets * (Math.min(snapLength, 544) + 16)));
        try (CaptureWriter w = WorkloadGenerator.writer("pcap", out, snapLength)) {
            ExpectedCounts expected = new WorkloadGenerator(seed).generate(packets, w);
            w.close();
            return new InMemoryCapture(out.array(), out.size(), packets, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands out its array instead of a copy: a capture of a million packets is half a gigabyte. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes(int capacity) {
            super(capacity);
        }

        byte[] array() { return buf; }
    }

    /** The events the frame parser makes of every frame, as consecutive 80-byte records. */
    ByteBuffer events() {
        FrameParser parser = new FrameParser();
        ByteBuffer all = ByteBuffer.allocate((int) expected.events() * EventRecord.ENCODED_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        EventRecord out = new EventRecord();
        InputStats stats = new InputStats();
        int n = 0;
        for (int i = 0; i < packets; i++) {
            out.wrap(all, n * EventRecord.ENCODED_LENGTH);
            if (parser.parse(LINKTYPE_ETHERNET, pcap, frameOffset[i], frameLength[i], frameTsNs[i],
                    EventRecord.DIGITS_NS, Direction.UNKNOWN.code(), 0, out, stats)) {
                n++;
            }
        }
        if (n != expected.events()) {
            throw new IllegalStateException("parser made " + n + " events, the generator " + expected.events());
        }
        return all;
    }
}
