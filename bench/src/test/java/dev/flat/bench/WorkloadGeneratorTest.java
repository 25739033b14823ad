package dev.flat.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.match.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {
    private static byte[] generate(long seed, long packets, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CaptureWriter w = WorkloadGenerator.writer(format, out, WorkloadGenerator.DEFAULT_SNAP_LENGTH)) {
            new WorkloadGenerator(seed).generate(packets, w);
        }
        return out.toByteArray();
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        byte[] a = generate(42, 5000, "pcap");
        assertArrayEquals(a, generate(42, 5000, "pcap"));
        assertFalse(Arrays.equals(a, generate(43, 5000, "pcap")));
    }

    /** Walks the classic pcap records: exact count, sane lengths, timestamps never going back. */
    @Test
    void pcapRecordsAreWellFormedAndInTimeOrder() throws IOException {
        int packets = 20_000;
        ByteBuffer b = ByteBuffer.wrap(generate(1, packets, "pcap")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA1B23C4D, b.getInt(0), "nanosecond pcap magic");
        assertEquals(1, b.getInt(20), "LINKTYPE_ETHERNET");
        int pos = 24;
        long previous = Long.MIN_VALUE;
        int records = 0;
        while (pos < b.limit()) {
            long ts = (b.getInt(pos) & 0xFFFF_FFFFL) * 1_000_000_000L + b.getInt(pos + 4);
            int capLen = b.getInt(pos + 8);
            assertTrue(b.getInt(pos + 4) < 1_000_000_000, "nanoseconds field below 1e9");
            assertTrue(capLen >= 14 + 20 + 8 && capLen <= FrameBuilder.MAX_FRAME, "frame length " + capLen);
            assertEquals(capLen, b.getInt(pos + 12), "not truncated");
            assertTrue(ts >= previous, "record " + records + " goes back in time");
            previous = ts;
            pos += 16 + capLen;
            records++;
        }
        assertEquals(b.limit(), pos);
        assertEquals(packets, records);
    }

    @Test
    void snapLengthCutsFramesButKeepsTheirOriginalLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CaptureWriter w = WorkloadGenerator.writer("pcap", out, 96)) {
            new WorkloadGenerator(1).generate(2000, w);
        }
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        boolean sawCut = false;
        for (int pos = 24; pos < b.limit(); pos += 16 + b.getInt(pos + 8)) {
            assertTrue(b.getInt(pos + 8) <= 96);
            sawCut |= b.getInt(pos + 12) > 96;
        }
        assertTrue(sawCut, "some frames are longer than 96 bytes");
    }

    /** pcapng blocks chain exactly: every block's trailing length equals its leading length. */
    @Test
    void pcapngBlocksAreFramedCorrectly() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(generate(5, 3000, "pcapng")).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        int packetBlocks = 0;
        while (pos < b.limit()) {
            int type = b.getInt(pos);
            int length = b.getInt(pos + 4);
            assertEquals(0, length % 4, "block length multiple of 4");
            assertEquals(length, b.getInt(pos + length - 4), "trailing length at " + pos);
            if (type == 6) {
                packetBlocks++;
            }
            pos += length;
        }
        assertEquals(b.limit(), pos);
        assertEquals(3000, packetBlocks);
    }

    @Test
    void everyKindAndOutcomeOccurs() throws IOException {
        ExpectedCounts c;
        try (CaptureWriter w = WorkloadGenerator.writer("pcap", ByteArrayOutputStream.nullOutputStream(), 262144)) {
            // Few slots so the capture spans minutes: resends come a second or more after the original.
            c = new WorkloadGenerator(9, 64).generate(100_000, w);
        }
        for (Kind k : Kind.values()) {
            assertTrue(c.answered(k) > 0 && c.unanswered(k) > 0, k.label() + ": " + c);
        }
        assertTrue(c.refused(Kind.TCP) > 0 && c.exchangeRetransmits(Kind.TCP) > 0, c::toString);
        assertTrue(c.exchangeRetransmits(Kind.DNS) > 0 && c.exchangeRetransmits(Kind.UDP) > 0, c::toString);
        assertTrue(c.events() < c.packets(), "TCP data segments are not events");
    }
}
