package dev.flat.replay;

import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.tcp;
import static dev.flat.replay.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngReaderTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final byte[] SYN = ethernet(FrameParser.ETHERTYPE_IPV4,
            ipv4(EventRecord.PROTO_TCP, tcp(1000, 80, 1, 0, EventRecord.TCP_SYN)));
    private static final byte[] RAW_UDP = ipv4(EventRecord.PROTO_UDP, udp(1000, 53, new byte[4]));
    private static final long T = 1_700_000_000L;

    @TempDir
    Path dir;

    private final InputStats stats = new InputStats();

    private Path write(byte[] content) throws IOException {
        Path f = dir.resolve("t.pcapng");
        Files.write(f, content);
        return f;
    }

    private List<EventRecord> read(CaptureWriter w) throws IOException {
        return Corpus.events(write(w.bytes()), stats);
    }

    private static byte[] name(String n) {
        return n.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sectionsInBothByteOrdersNumberInterfacesAcrossTheFile() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0)
                .idb(LinkType.ETHERNET, 0, w.option(2, name("eth0")), w.option(9, new byte[] {9}))
                .idb(LinkType.RAW, 0, w.option(2, name("tun0")))
                .epb(0, T * 1_000_000_000L + 5, SYN, w.u32Option(2, 2))
                .epb(1, T * 1_000_000L + 7, RAW_UDP, w.u32Option(2, 1));
        w.shb(BE, 1, 0)
                .idb(LinkType.ETHERNET, 0, w.option(2, name("eth1")), w.option(9, new byte[] {(byte) 0x94}),
                     w.u64Option(14, 100))
                .epb(0, (T << 20) | (1 << 19), SYN);
        Path f = write(w.bytes());
        List<EventRecord> events;
        try (EventSource source = Inputs.open(f)) {
            List<EventRecord> got = new java.util.ArrayList<>();
            source.drainTo(e -> got.add(Corpus.copy(e)), stats);
            events = got;
            assertEquals("eth0", source.interfaces().label(1));
            assertEquals("tun0", source.interfaces().label(2));
            assertEquals("eth1", source.interfaces().label(3));
            assertEquals(source.size(), source.position());
        }
        assertEquals(3, events.size());

        EventRecord ns = events.get(0);
        assertEquals(1, ns.ifindex());
        assertEquals(Direction.EGRESS.code(), ns.direction());
        assertEquals(T * 1_000_000_000L + 5, ns.tsNs());
        assertEquals(EventRecord.DIGITS_NS, ns.tsDigits());

        EventRecord micros = events.get(1);
        assertEquals(2, micros.ifindex());
        assertEquals(Direction.INGRESS.code(), micros.direction());
        assertEquals(T * 1_000_000_000L + 7_000, micros.tsNs());
        assertEquals(EventRecord.DIGITS_US, micros.tsDigits());
        assertEquals(EventRecord.PROTO_UDP, micros.ipProto());

        EventRecord binary = events.get(2); // 2^-20 s units, half a second, if_tsoffset 100 s
        assertEquals(3, binary.ifindex());
        assertEquals(Direction.UNKNOWN.code(), binary.direction());
        assertEquals((T + 100) * 1_000_000_000L + 500_000_000L, binary.tsNs());
        assertEquals(EventRecord.DIGITS_NS, binary.tsDigits());
    }

    @Test
    void simplePacketBlockUsesInterfaceZeroAndHasNoTimestamp() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.RAW, 0).spb(RAW_UDP.length, RAW_UDP)
                .spb(RAW_UDP.length, Arrays.copyOf(RAW_UDP, 10));
        assertEquals(0, read(w).size());
        assertEquals(2, stats.packets());
        assertEquals(1, stats.skipped(SkipReason.NO_TIMESTAMP));
        assertEquals(1, stats.skipped(SkipReason.TRUNCATED_IP), "12 bytes: the block bounds the data");
    }

    @Test
    void simplePacketBlockIsCutToTheSnapLength() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.RAW, 22).spb(RAW_UDP.length, RAW_UDP);
        read(w);
        assertEquals(1, stats.skipped(SkipReason.TRUNCATED_TRANSPORT), stats.skippedByReason().toString());
    }

    @Test
    void obsoletePacketBlockWithPackFlags() throws IOException {
        CaptureWriter w = new CaptureWriter(BE);
        w.shb(BE, 1, 0).idb(LinkType.ETHERNET, 65535).obsoletePacket(0, T * 1_000_000L, SYN, w.u32Option(2, 2));
        List<EventRecord> events = read(w);
        assertEquals(1, events.size());
        assertEquals(Direction.EGRESS.code(), events.get(0).direction());
        assertEquals(T * 1_000_000_000L, events.get(0).tsNs());
    }

    @Test
    void unknownAndNonPacketBlocksAreSkippedWhole() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0)
                .block(4, new byte[] {1, 0, 8, 0, 10, 0, 0, 1, 'a', '.', 'b', 0, 0, 0, 0, 0}) // NRB
                .block(0x0BAD, new byte[64])
                .block(5, new byte[16]) // ISB
                .epb(0, T, SYN);
        assertEquals(1, read(w).size());
        assertEquals(1, stats.packets());
    }

    @Test
    void interfaceIdIsBoundsChecked() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0).epb(1, T, SYN);
        InputException e = assertThrows(InputException.class, () -> read(w));
        assertEquals(28 + 20 + 8, e.offset());
        assertTrue(e.problem().contains("refers to interface 1"), e.problem());
    }

    @Test
    void interfacesDoNotCarryOverIntoTheNextSection() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0).shb(LE, 1, 0).epb(0, T, SYN);
        assertThrows(InputException.class, () -> read(w));
    }

    @Test
    void blockLengthMustBeAMultipleOfFourOfAtLeastTwelve() throws IOException {
        for (int bad : new int[] {0, 8, 30}) {
            CaptureWriter w = new CaptureWriter(LE);
            w.shb(LE, 1, 0).raw(new byte[] {6, 0, 0, 0, (byte) bad, 0, 0, 0});
            w.raw(new byte[32]);
            InputException e = assertThrows(InputException.class, () -> read(w));
            assertEquals(28 + 4, e.offset());
        }
    }

    @Test
    void trailingLengthMustRepeatTheLeadingOne() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0);
        byte[] bytes = w.bytes();
        bytes[bytes.length - 4] = 24;
        InputException e = assertThrows(InputException.class, () -> Corpus.events(write(bytes), stats));
        assertEquals(bytes.length - 4, e.offset());
    }

    @Test
    void optionRunningPastItsBlockIsAnError() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).block(1, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 40, 0, 'e', 't', 'h', '0'});
        InputException e = assertThrows(InputException.class, () -> read(w));
        assertTrue(e.problem().contains("runs past the end of its block"), e.problem());
        assertEquals(28 + 16, e.offset());
    }

    @Test
    void capturedLengthBeyondItsBlockIsAnError() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0).epb(0, T, SYN);
        byte[] bytes = w.bytes();
        int capLenAt = 28 + 20 + 20;
        bytes[capLenAt] = (byte) 200;
        InputException e = assertThrows(InputException.class, () -> Corpus.events(write(bytes), stats));
        assertEquals(capLenAt, e.offset());
    }

    @Test
    void fileCutShortKeepsEarlierPackets() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0).epb(0, T, SYN).epb(0, T + 1, SYN);
        byte[] bytes = w.bytes();
        int secondBlock = bytes.length - (12 + 20 + CaptureWriter.padded(SYN).length);
        for (int cut : new int[] {secondBlock + 3, secondBlock + 10, bytes.length - 1}) {
            InputStats s = new InputStats();
            List<EventRecord> events = Corpus.events(write(Arrays.copyOf(bytes, cut)), s);
            assertEquals(1, events.size());
            assertEquals(List.of(dir.resolve("t.pcapng") + ": cut short at offset " + secondBlock
                    + " in packet 2; results up to there kept"), s.warnings());
        }
    }

    @Test
    void laterSectionOfUnknownVersionStopsWithAWarning() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0).epb(0, T, SYN).shb(LE, 2, 0).idb(LinkType.ETHERNET, 0).epb(0, T, SYN);
        assertEquals(1, read(w).size());
        assertEquals(1, stats.warnings().size());
        assertTrue(stats.warnings().get(0).contains("unsupported pcapng version 2.0"), stats.warnings().get(0));
    }

    @Test
    void firstSectionOfUnknownVersionIsAnError() throws IOException {
        CaptureWriter w = new CaptureWriter(BE);
        w.shb(BE, 2, 0);
        InputException e = assertThrows(InputException.class, () -> read(w));
        assertEquals(12, e.offset());
    }

    @Test
    void interfaceTableIsBounded() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0);
        for (int i = 0; i <= PcapngReader.MAX_INTERFACES; i++) {
            w.idb(LinkType.ETHERNET, 0);
        }
        InputException e = assertThrows(InputException.class, () -> read(w));
        assertEquals(28 + 20L * PcapngReader.MAX_INTERFACES, e.offset());
    }

    @Test
    void timestampResolutionBeyondScalingIsAnError() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0, w.option(9, new byte[] {(byte) 0xC0}));
        assertThrows(InputException.class, () -> read(w));
    }

    /**
     * Units past flat's clock are kept modulo 2^64, as the low bits of Wireshark's time: a writer's
     * negative time (all ones: one unit before the epoch) comes out as that time. Counted, measured.
     */
    @Test
    void timestampBeyondTheRangeOfNanosecondsIsKeptModulo2To64AndCounted() throws IOException {
        CaptureWriter w = new CaptureWriter(LE);
        w.shb(LE, 1, 0).idb(LinkType.ETHERNET, 0).epb(0, -1L, SYN).epb(0, Long.MAX_VALUE / 1000 + 1, SYN)
                .epb(0, Long.MAX_VALUE / 1000, SYN);
        List<EventRecord> events = read(w);
        assertEquals(List.of(-1_000L, Long.MIN_VALUE + 192, Long.MAX_VALUE - 807),
                events.stream().map(EventRecord::tsNs).toList());
        assertEquals(2, stats.timestampsOutOfRange());
        assertEquals(0, stats.skippedTotal());
    }
}
