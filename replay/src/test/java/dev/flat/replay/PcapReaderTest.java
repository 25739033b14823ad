package dev.flat.replay;

import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapReaderTest {
    private static final byte[] SYN = ethernet(FrameParser.ETHERTYPE_IPV4,
            ipv4(EventRecord.PROTO_TCP, tcp(1000, 80, 1, 0, EventRecord.TCP_SYN)));
    private static final long T = 1_700_000_000L;

    @TempDir
    Path dir;

    private final InputStats stats = new InputStats();

    private List<EventRecord> read(byte[] content) throws IOException {
        Path f = dir.resolve("t.pcap");
        Files.write(f, content);
        return Corpus.events(f, stats);
    }

    private static CaptureWriter pcap(ByteOrder order, int magic) {
        return new CaptureWriter(order).pcapHeader(magic, 2, 4, 65535, LinkType.ETHERNET);
    }

    @Test
    void bothByteOrdersAndBothResolutionsGiveTheSameEvents() throws IOException {
        byte[] expected = null;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            List<EventRecord> micros = read(pcap(order, PcapReader.MAGIC_MICROS).pcapRecord(T, 123_456, SYN).bytes());
            List<EventRecord> nanos = read(pcap(order, PcapReader.MAGIC_NANOS).pcapRecord(T, 123_456_000, SYN).bytes());
            assertEquals(T * 1_000_000_000L + 123_456_000L, micros.get(0).tsNs());
            assertEquals(EventRecord.DIGITS_US, micros.get(0).tsDigits());
            assertEquals(EventRecord.DIGITS_NS, nanos.get(0).tsDigits());
            nanos.get(0).tsDigits(EventRecord.DIGITS_US);
            assertArrayEquals(Corpus.bytes(micros.get(0)), Corpus.bytes(nanos.get(0)));
            if (expected != null) {
                assertArrayEquals(expected, Corpus.bytes(micros.get(0)));
            }
            expected = Corpus.bytes(micros.get(0));
        }
        assertEquals(0, EventRecord.allocate().ifindex());
    }

    /** As Wireshark reads it: the field added as it is, counted, and the packet still measured. */
    @Test
    void subSecondFieldOfOneSecondOrMoreCarriesIntoTheSeconds() throws IOException {
        List<EventRecord> nanos = read(pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_NANOS)
                .pcapRecord(T, 999_999_999, SYN).pcapRecord(T, 1_000_000_000, SYN).pcapRecord(T, 0xFFFF_FFFFL, SYN)
                .bytes());
        assertEquals(List.of(T * 1_000_000_000L + 999_999_999, (T + 1) * 1_000_000_000L,
                        T * 1_000_000_000L + 0xFFFF_FFFFL),
                nanos.stream().map(EventRecord::tsNs).toList());
        assertEquals(2, stats.timestampsOutOfRange());
        List<EventRecord> micros = read(pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROS)
                .pcapRecord(0xFFFF_FFFFL, 0xFFFF_FFFFL, SYN).bytes());
        assertEquals(0xFFFF_FFFFL * 1_000_000_000L + 0xFFFF_FFFFL * 1_000, micros.get(0).tsNs());
        assertEquals(3, stats.timestampsOutOfRange());
        assertEquals(0, stats.skippedTotal());
    }

    @Test
    void linkTypeFcsBitsAreIgnored() throws IOException {
        byte[] f = new CaptureWriter(ByteOrder.LITTLE_ENDIAN)
                .pcapHeader(PcapReader.MAGIC_MICROS, 2, 4, 65535, 0x1000_0000 | LinkType.ETHERNET)
                .pcapRecord(T, 0, SYN).bytes();
        assertEquals(1, read(f).size());
    }

    @Test
    void capturedLengthAboveTheLimitIsAnError() throws IOException {
        byte[] f = pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROS).pcapRecord(T, 0, SYN)
                .pcapRecord(T, 0, 262_145, 262_145, new byte[0]).bytes();
        InputException e = assertThrows(InputException.class, () -> read(f));
        assertEquals(24 + 16 + SYN.length + 8, e.offset());
        assertTrue(e.problem().contains("packet 2"), e.problem());
    }

    @Test
    void capturedLongerThanOriginalIsTolerated() throws IOException {
        byte[] f = pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROS).pcapRecord(T, 0, SYN.length, 10, SYN).bytes();
        assertEquals(1, read(f).size());
    }

    @Test
    void fileCutShortAnywhereInTheLastRecordKeepsTheFirst() throws IOException {
        byte[] f = pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MICROS).pcapRecord(T, 0, SYN).pcapRecord(T, 1, SYN).bytes();
        int second = 24 + 16 + SYN.length;
        for (int cut = second + 1; cut < f.length; cut++) {
            InputStats s = new InputStats();
            Path p = dir.resolve("cut.pcap");
            Files.write(p, Arrays.copyOf(f, cut));
            assertEquals(1, Corpus.events(p, s).size());
            assertEquals(List.of(p + ": cut short at offset " + second + " in packet 2; results up to there kept"),
                    s.warnings());
        }
    }

    @Test
    void headerCutShortIsAnError() throws IOException {
        byte[] f = Arrays.copyOf(pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROS).bytes(), 20);
        InputException e = assertThrows(InputException.class, () -> read(f));
        assertTrue(e.problem().contains("file header cut short"), e.problem());
    }

    @Test
    void majorVersionOtherThanTwoIsAnError() throws IOException {
        byte[] f = new CaptureWriter(ByteOrder.LITTLE_ENDIAN).pcapHeader(PcapReader.MAGIC_MICROS, 3, 0, 65535, 1).bytes();
        InputException e = assertThrows(InputException.class, () -> read(f));
        assertEquals(4, e.offset());
    }

    /**
     * A frame whose IPv6 extension headers run past what the reader copies of it first (8 KiB)
     * is copied whole and parsed again: the same events and counts as through a stream, which
     * holds every record whole.
     */
    @Test
    void headersBeyondTheCopiedPrefixAreParsedFromTheWholeFrame() throws IOException {
        byte[] longSyn = ethernet(FrameParser.ETHERTYPE_IPV6, Frames.ipv6DestinationOptions(EventRecord.PROTO_TCP,
                tcp(1000, 443, 1, 0, EventRecord.TCP_SYN), FrameParser.MAX_EXTENSION_HEADERS, 255));
        byte[] longAck = ethernet(FrameParser.ETHERTYPE_IPV6, Frames.ipv6DestinationOptions(EventRecord.PROTO_TCP,
                tcp(1000, 443, 1, 0, EventRecord.TCP_ACK), FrameParser.MAX_EXTENSION_HEADERS, 255));
        assertTrue(longSyn.length > ChannelInput.MIN_COPY);
        byte[] content = pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_NANOS)
                .pcapRecord(T, 1, longSyn).pcapRecord(T, 2, longAck).pcapRecord(T, 3, SYN)
                .pcapRecord(T, 4, longSyn).bytes();
        List<EventRecord> events = read(content);
        assertEquals(3, events.size());
        assertEquals(1, stats.skipped(SkipReason.NOT_RELEVANT));
        assertEquals(4, stats.packets());

        Path gz = dir.resolve("t.pcap.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content);
        }
        InputStats streamStats = new InputStats();
        List<EventRecord> streamed = Corpus.events(gz, streamStats);
        assertEquals(events.size(), streamed.size());
        for (int i = 0; i < events.size(); i++) {
            assertArrayEquals(Corpus.bytes(streamed.get(i)), Corpus.bytes(events.get(i)));
        }
        assertEquals(streamStats.skippedByReason(), stats.skippedByReason());
    }
}
