package dev.flat.replay;

import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.icmp;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.ipv6;
import static dev.flat.replay.Frames.pad;
import static dev.flat.replay.Frames.tcp;
import static dev.flat.replay.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventBatch;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A classic pcap file read with stretches read ahead ({@link CaptureReadAhead}) gives the events,
 * counts, warnings and errors of the same file read by one reader alone. The work ahead is done
 * here on the reader's own thread, from inside the sink every few events, so that each test is
 * deterministic; the sizes are small so that a file of a few hundred KiB has many stretches.
 * ReaderThreadTest runs the same on two threads through the ring.
 */
class CaptureReadAheadTest {
    private static final int STRETCH = 8 << 10;
    private static final int LEAD = 16 << 10;
    private static final int POLL = 2 << 10;
    private static final long FIRST_SECOND = 1_700_000_000L;

    @TempDir
    Path dir;

    /** What a reading produced: every event's bytes in order, the counts and warnings, or the error that ended it. */
    private record Reading(String events, long eventCount, long packets, String skips, long outOfRange,
                           String warnings, String error) {}

    /**
     * Records each event; calls the work ahead every {@code every} events (not while a batch is
     * being drained, as the ring's consumer does not), and drains batches at once.
     */
    private static final class Recorder implements EventSink {
        final ByteArrayOutputStream events = new ByteArrayOutputStream();
        final CaptureReadAhead ahead;
        final int every;
        long count;
        long batches;
        boolean inBatch;

        Recorder(CaptureReadAhead ahead, int every) {
            this.ahead = ahead;
            this.every = every;
        }

        @Override
        public void onEvent(EventRecord e) {
            byte[] b = new byte[EventRecord.ENCODED_LENGTH];
            e.buffer().get(e.offset(), b);
            events.writeBytes(b);
            if (ahead != null && !inBatch && ++count % every == 0) {
                ahead.readNext();
            }
        }

        @Override
        public void onBatch(EventBatch batch) {
            batches++;
            inBatch = true;
            batch.drainTo(this);
            inBatch = false;
        }
    }

    /** The file read by one reader: the reference. */
    private Reading alone(Path file) throws IOException {
        try (EventSource source = open(file)) {
            return read(source, new Recorder(null, 1));
        }
    }

    /** The file read with stretches read ahead every {@code every} events; asserts that some were handed on. */
    private Reading withReadAhead(Path file, int every) throws IOException {
        CaptureFileReader reader = open(file);
        try (reader) {
            CaptureReadAhead ahead = attachReadAhead(reader, STRETCH, LEAD, POLL);
            Recorder recorder = new Recorder(ahead, every);
            Reading reading = read(reader, recorder);
            assertTrue(ahead.handedOn() > 0, "no stretch was handed on");
            assertEquals(ahead.handedOn(), recorder.batches);
            return reading;
        }
    }

    /** The file mapped (whatever its size), by the reader its magic names. */
    private static CaptureFileReader open(Path file) throws IOException {
        ChannelInput in = ChannelInput.open(file, ChunkedInput.CHUNK_SIZE, 64 << 10, true);
        return magic(file) == PcapngReader.SECTION_HEADER
                ? PcapngReader.open(file.toString(), in, in.size())
                : PcapReader.open(file.toString(), in, in.size());
    }

    /** Work ahead with the given sizes, attached to the reader. */
    private static CaptureReadAhead attachReadAhead(CaptureFileReader reader, int stretch, int lead, int poll) {
        return reader.attach(new CaptureReadAhead(reader, (ChannelInput) reader.in, stretch, lead, poll));
    }

    private static Reading read(EventSource source, Recorder recorder) {
        InputStats stats = new InputStats();
        String error = null;
        try {
            source.drainTo(recorder, stats);
        } catch (IOException e) {
            error = e.getMessage();
        }
        return new Reading(HexFormat.of().formatHex(recorder.events.toByteArray()), stats.events(), stats.packets(),
                stats.skippedByReason().toString(), stats.timestampsOutOfRange(), stats.warnings().toString(), error);
    }

    /**
     * Exchanges of every kind, over IPv4 and IPv6, among frames that make no event, of random
     * lengths up to 1 500 bytes; every 97th record's sub-second field is out of range.
     */
    private Path capture(String name, int records, ByteOrder order, boolean nanos, long seed) throws IOException {
        Random random = new Random(seed);
        CaptureWriter w = new CaptureWriter(order)
                .pcapHeader(nanos ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS, 2, 4, 65535, LinkType.ETHERNET);
        for (int i = 0; i < records; i++) {
            byte[] frame = frame(i, random);
            long fraction = i % 97 == 96 ? (nanos ? 1_000_000_000L : 1_000_000L) + i : (i * 1_000L) % 1_000_000L;
            w.pcapRecord(FIRST_SECOND + i / 1000, fraction, frame);
        }
        Path file = dir.resolve(name);
        Files.write(file, w.bytes());
        return file;
    }

    /** Record i's frame: of one of seven kinds (six make events), padded to a random length up to 1 500 bytes. */
    private static byte[] frame(int i, Random random) {
        byte[] frame = switch (i % 7) {
            case 0 -> ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_TCP,
                    tcp(40000 + i % 5000, 443, i, 0, EventRecord.TCP_SYN)));
            case 1 -> ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_TCP,
                    tcp(443, 40000 + (i - 1) % 5000, 7, i, EventRecord.TCP_SYN | EventRecord.TCP_ACK)));
            case 2 -> ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_UDP,
                    udp(50000 + i % 1000, 53, new byte[] {(byte) (i >> 8), (byte) i, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0})));
            case 3 -> ethernet(FrameParser.ETHERTYPE_IPV6, ipv6(EventRecord.PROTO_ICMPV6, icmp(128, 0, 9, i)));
            case 4 -> ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_ICMP, icmp(8, 0, 7, i)));
            default -> ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_TCP,
                    tcp(443, 40000, i, i, EventRecord.TCP_ACK)));
        };
        return pad(frame, Math.max(frame.length, random.nextInt(1500)), (byte) random.nextInt(256));
    }

    /**
     * A pcapng file of two sections, the second in the given byte order. Each has two interfaces
     * (µs and ns, named; the other way round in the second) and a third described after a third
     * of its packets; its packets are enhanced
     * packet blocks on all of them with direction flags, simple packet blocks (no time), obsolete
     * packet blocks, and name-resolution and statistics blocks between them. Stretches around the
     * late interface block and the second section must be dropped or passed over.
     */
    private Path pcapng(String name, int packets, long seed, ByteOrder secondSection) throws IOException {
        Random random = new Random(seed);
        CaptureWriter w = new CaptureWriter(ByteOrder.LITTLE_ENDIAN);
        ByteOrder[] orders = {ByteOrder.LITTLE_ENDIAN, secondSection};
        for (int sectionNo = 0; sectionNo < 2; sectionNo++) {
            w.shb(orders[sectionNo], 1, 0);
            int nanosInterface = sectionNo == 0 ? 1 : 0;
            for (int itf = 0; itf < 2; itf++) {
                if (itf == nanosInterface) {
                    w.idb(LinkType.ETHERNET, 65535, w.option(PcapngReader.OPT_IF_TSRESOL, new byte[] {9}),
                            w.option(PcapngReader.OPT_IF_NAME, "eth1".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                } else {
                    w.idb(LinkType.ETHERNET, 0);
                }
            }
            int interfaces = 2;
            for (int i = sectionNo * packets / 2; i < (sectionNo + 1) * packets / 2; i++) {
                if (i == packets / 6 || i == packets / 2 + packets / 6) {
                    w.idb(LinkType.ETHERNET, 0);
                    interfaces = 3;
                }
                byte[] frame = frame(i, random);
                int itf = i % interfaces;
                long units = itf == nanosInterface ? (FIRST_SECOND + i / 1000) * 1_000_000_000L + i : (FIRST_SECOND + i / 1000) * 1_000_000L + i;
                switch (i % 50) {
                    case 7 -> w.spb(frame.length, frame);
                    case 8 -> w.obsoletePacket(itf, units, frame);
                    case 9 -> w.block(4, new byte[8]); // name resolution, empty
                    case 10 -> w.block(5, new byte[12]); // interface statistics
                    default -> w.epb(itf, units, frame, w.u32Option(PcapngReader.OPT_FLAGS, 1 + i % 2));
                }
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, w.bytes());
        return file;
    }

    @ParameterizedTest
    @CsvSource({"LITTLE_ENDIAN, 1", "LITTLE_ENDIAN, 7", "BIG_ENDIAN, 1", "BIG_ENDIAN, 7"})
    void pcapngSameAsOneReaderAcrossSectionsAndInterfaces(String secondSection, int every) throws IOException {
        Path file = pcapng("sections.pcapng", 4000, every,
                secondSection.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        Reading alone = alone(file);
        assertNull(alone.error());
        assertTrue(alone.skips().contains("NO_TIMESTAMP"), alone.skips());
        assertEquals(alone, withReadAhead(file, every));
    }

    @ParameterizedTest
    @CsvSource({
        "LITTLE_ENDIAN, false, 1",
        "LITTLE_ENDIAN, true, 3",
        "BIG_ENDIAN, false, 10",
        "BIG_ENDIAN, true, 40",
    })
    void sameEventsCountsAndWarningsAsOneReader(String order, boolean nanos, int every) throws IOException {
        ByteOrder byteOrder = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path file = capture("mixed.pcap", 3000, byteOrder, nanos, every);
        Reading alone = alone(file);
        assertTrue(alone.outOfRange() > 0 && alone.warnings().contains("out of range"), alone.warnings());
        assertEquals(alone, withReadAhead(file, every));
    }

    /** The lab's recorded captures (real frames, lengths and timing), repeated to make many stretches. */
    @ParameterizedTest
    @ValueSource(strings = {"../testdata/lab/lab.pcap", "../testdata/match/match.pcap"})
    void recordedCapturesRepeated(String path) throws IOException {
        // Repeated end to end until the file has many stretches, each copy a second later.
        byte[] capture = Files.readAllBytes(Path.of(path));
        ByteBuffer b = ByteBuffer.wrap(capture).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(b.getInt(0) == PcapReader.MAGIC_MICROS || b.getInt(0) == PcapReader.MAGIC_NANOS, "a little-endian pcap");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(capture, 0, PcapReader.FILE_HEADER);
        for (int copy = 0; out.size() < 512 << 10; copy++) {
            byte[] records = java.util.Arrays.copyOfRange(capture, PcapReader.FILE_HEADER, capture.length);
            ByteBuffer r = ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < records.length; at += PcapReader.RECORD_HEADER + r.getInt(at + 8)) {
                r.putInt(at, r.getInt(at) + copy);
            }
            out.writeBytes(records);
        }
        Path file = dir.resolve("repeated.pcap");
        Files.write(file, out.toByteArray());
        assertEquals(alone(file), withReadAhead(file, 2));
    }

    /**
     * Every classic pcap and pcapng file of testdata/ and of the public corpus, read with
     * stretches of 512 bytes read ahead at every event: one reader's results, file by file
     * (whatever the link type, byte order, resolution, sections, interfaces, truncation or bogus
     * length), and stretches handed on in many.
     */
    @Test
    void everyTestdataAndCorpusPcapGivesWhatOneReaderGives() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(Path.of("..", "testdata"), Corpus.DIR)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(f -> isCapture(f)).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() >= 30, files.size() + " files");
        int withStretches = 0;
        for (Path file : files) {
            Reading alone;
            try {
                alone = alone(file);
            } catch (InputException e) {
                continue; // a file header no reader opens (pcap 1.4): no records to read ahead
            }
            CaptureFileReader reader = open(file);
            try (reader) {
                CaptureReadAhead ahead = attachReadAhead(reader, 512, 1024, 128);
                assertEquals(alone, read(reader, new Recorder(ahead, 1)), file.toString());
                withStretches += ahead.handedOn() > 0 ? 1 : 0;
            }
        }
        assertTrue(withStretches >= 15, withStretches + " of " + files.size() + " files had stretches handed on");
    }

    /** A classic pcap or pcapng file (by its magic), not a gzip one or an event log. */
    private static boolean isCapture(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        int m = magic(file);
        return m == PcapngReader.SECTION_HEADER || m == PcapReader.MAGIC_MICROS || m == PcapReader.MAGIC_NANOS
                || Integer.reverseBytes(m) == PcapReader.MAGIC_MICROS || Integer.reverseBytes(m) == PcapReader.MAGIC_NANOS;
    }

    private static int magic(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            ch.read(magic, 0);
            return magic.flip().remaining() == 4 ? magic.getInt() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every record's payload holds a chain of plausible record headers that ends where the record
     * does, so that a search for a record's start from inside it finds the false one first, and
     * the stretch read from there reads on into the true records. The reader never lands on such
     * a start and passes those stretches over: the results stay the reader's own.
     */
    @Test
    void falseStartsArePassedOver() throws IOException {
        CaptureWriter w = new CaptureWriter(ByteOrder.LITTLE_ENDIAN)
                .pcapHeader(PcapReader.MAGIC_MICROS, 2, 4, 65535, LinkType.ETHERNET);
        for (int i = 0; i < 3000; i++) {
            byte[] fakes = fakeChain(FIRST_SECOND + i / 1000, 200 + i % 300);
            byte[] frame = ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_UDP, udp(50000 + i, 53, fakes)));
            w.pcapRecord(FIRST_SECOND + i / 1000, i % 1_000_000, frame);
        }
        Path file = dir.resolve("false-starts.pcap");
        Files.write(file, w.bytes());
        Reading alone = alone(file);
        CaptureFileReader reader = open(file);
        try (reader) {
            CaptureReadAhead ahead = attachReadAhead(reader, STRETCH, LEAD, POLL);
            assertEquals(alone, read(reader, new Recorder(ahead, 1)));
            assertTrue(ahead.passedOver() > 0, "no false start was passed over");
        }
    }

    /** {@link PcapReader#CHAIN} record headers of the given seconds, end to end, {@code bytes} long in all. */
    private static byte[] fakeChain(long seconds, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < PcapReader.CHAIN; k++) {
            int data = k < PcapReader.CHAIN - 1 ? 4 : bytes - b.position() - PcapReader.RECORD_HEADER;
            b.putInt((int) seconds).putInt(k).putInt(data).putInt(data);
            b.position(b.position() + data);
        }
        return b.array();
    }

    /** A length over the limit half-way: the same error (offset, packet number) after the same events. */
    @Test
    void aBogusLengthIsReportedAsByOneReader() throws IOException {
        Path file = capture("bogus.pcap", 3000, ByteOrder.LITTLE_ENDIAN, false, 5);
        long at = recordOffsets(file, 1700);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 300_000), at + 8);
        }
        Reading alone = alone(file);
        assertTrue(alone.error() != null && alone.error().contains("packet 1701: captured length 300000"), alone.error());
        assertEquals(alone, withReadAhead(file, 1));
    }

    /** A file cut short inside its last record: the same warning after the same events. */
    @Test
    void aFileCutShortIsReportedAsByOneReader() throws IOException {
        Path file = capture("short.pcap", 3000, ByteOrder.LITTLE_ENDIAN, false, 6);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }
        Reading alone = alone(file);
        assertTrue(alone.warnings().contains("cut short"), alone.warnings());
        assertEquals(alone, withReadAhead(file, 1));
    }

    /** The offset of record {@code index} (from 0). */
    private static long recordOffsets(Path file, int index) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int at = PcapReader.FILE_HEADER;
        for (int i = 0; i < index; i++) {
            at += PcapReader.RECORD_HEADER + b.getInt(at + 8);
        }
        return at;
    }

    /** Only a mapped file is read ahead: not a small one (positional reads), a stream or pcapng. */
    @Test
    void offeredForLargeClassicPcapFilesOnly() throws IOException {
        Path small = capture("small.pcap", 100, ByteOrder.LITTLE_ENDIAN, false, 7);
        try (EventSource source = Inputs.open(small)) {
            assertNull(source.readAhead());
        }
        Path large = dir.resolve("large.pcap");
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(small), PcapReader.FILE_HEADER);
        try (FileChannel ch = FileChannel.open(large, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(header));
            ch.write(ByteBuffer.allocate(1), ChannelInput.MAP_MIN_BYTES);
        }
        try (EventSource source = Inputs.open(large)) {
            assertNotNull(source.readAhead());
        }
        try (EventSource source = Inputs.open(Path.of("../testdata/lab/lab.pcapng"))) {
            assertNull(source.readAhead());
        }
    }

    /** The guess at a record's start: a true chain, and the ways a false one fails. */
    @Test
    void recordChainAt() throws IOException {
        Path file = capture("chain.pcap", 20, ByteOrder.LITTLE_ENDIAN, false, 8);
        byte[] b = Files.readAllBytes(file);
        try (CaptureFileReader reader = open(file)) {
            int first = PcapReader.FILE_HEADER;
            assertTrue(reader.recordChainAt(b, first, b.length));
            assertTrue(!reader.recordChainAt(b, first + 1, b.length));
            // Fewer than SHORT_CHAIN headers before the bytes at hand end: no.
            int second = first + PcapReader.RECORD_HEADER + ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(first + 8);
            assertTrue(!reader.recordChainAt(b, first, second + PcapReader.RECORD_HEADER));
            byte[] zeros = new byte[4096];
            assertTrue(!reader.recordChainAt(zeros, 0, zeros.length), "zeros are no records (captured length 0)");
        }
    }

    /**
     * Records of 100 KiB: no three record headers lie within the bytes a search looks at, so no
     * start is ever found. After {@link CaptureReadAhead#GIVE_UP_AFTER} stretches in a row the
     * work ahead stops, and the reader reads everything.
     */
    @Test
    void theWorkAheadStopsWhereItFindsNoRecords() throws IOException {
        CaptureWriter w = new CaptureWriter(ByteOrder.LITTLE_ENDIAN)
                .pcapHeader(PcapReader.MAGIC_MICROS, 2, 4, 262_144, LinkType.ETHERNET);
        Random random = new Random(10);
        for (int i = 0; i < 60; i++) {
            w.pcapRecord(FIRST_SECOND + i, 0, pad(frame(i, random), 100_000, (byte) 0));
        }
        Path file = dir.resolve("jumbo.pcap");
        Files.write(file, w.bytes());
        Reading alone = alone(file);
        CaptureFileReader reader = open(file);
        try (reader) {
            CaptureReadAhead ahead = attachReadAhead(reader, STRETCH, LEAD, POLL);
            assertEquals(alone, read(reader, new Recorder(ahead, 1)));
            assertEquals(0, ahead.handedOn());
            assertTrue(ahead.givenUp());
        }
    }

    /** The work ahead cannot open the file (renamed meanwhile): it gives up, and the reader reads everything itself. */
    @Test
    void aReadAheadThatFailsLeavesTheReadingToTheReader() throws IOException {
        Path file = capture("gone.pcap", 3000, ByteOrder.LITTLE_ENDIAN, false, 9);
        Reading alone = alone(file);
        CaptureFileReader reader = open(file);
        try (reader) {
            CaptureReadAhead ahead = attachReadAhead(reader, STRETCH, LEAD, POLL);
            // The work ahead opens the file by its name when it first runs: gone by then, it gives up.
            Path moved = dir.resolve("moved.pcap");
            Files.move(file, moved);
            Recorder recorder = new Recorder(ahead, 1);
            assertEquals(alone, read(reader, recorder));
            assertEquals(0, ahead.handedOn());
            assertTrue(ahead.givenUp());
        }
        assertNull(alone.error());
    }
}
