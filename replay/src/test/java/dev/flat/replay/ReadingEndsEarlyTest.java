package dev.flat.replay;

import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.icmp;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.pad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture file whose reading ends before its end: it shrinks while it is read (a file cut
 * short: results kept, a warning, no error), or a stop is requested (Ctrl-C in flat analyze:
 * reading ends at a record boundary within one refill).
 */
class ReadingEndsEarlyTest {
    private static final int PACKETS = 200;
    private static final int FRAME = 300;
    private static final int RECORD = PcapReader.RECORD_HEADER + FRAME;
    /** Small chunk and window, so that the file is read in many fills (the defaults would take it in one). */
    private static final int CHUNK = 1024;
    private static final int WINDOW = 2048;

    @TempDir
    Path dir;

    /** 200 ICMP echo requests of 300 bytes each: every packet makes an event. */
    private Path capture() throws IOException {
        CaptureWriter w = new CaptureWriter(ByteOrder.LITTLE_ENDIAN)
                .pcapHeader(PcapReader.MAGIC_MICROS, 2, 4, 65535, LinkType.ETHERNET);
        for (int i = 0; i < PACKETS; i++) {
            byte[] echo = ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_ICMP, icmp(8, 0, 7, i)));
            w.pcapRecord(1_700_000_000L + i, 0, pad(echo, FRAME, (byte) 0));
        }
        Path file = dir.resolve("echo.pcap");
        Files.write(file, w.bytes());
        return file;
    }

    private static long recordOffset(int index) {
        return PcapReader.FILE_HEADER + (long) index * RECORD;
    }

    /**
     * Drains the capture through small fills, running {@code atEvent50} from the sink at the 50th
     * event; {@code map}: through small mappings, as a large file is read.
     */
    private static InputStats drainWith(Path file, boolean map, ActionAt50 atEvent50) throws IOException {
        InputStats stats = new InputStats();
        ChannelInput in = ChannelInput.open(file, CHUNK, WINDOW, map);
        try (EventSource source = PcapReader.open(file.toString(), in, in.size())) {
            int[] events = {0};
            EventSink sink = e -> {
                if (++events[0] == 50) {
                    atEvent50.run(source);
                }
            };
            source.drainTo(sink, stats);
        }
        return stats;
    }

    @FunctionalInterface
    private interface ActionAt50 {
        void run(EventSource source);
    }

    private static void truncate(Path file, long size) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(size);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "mapped {0}")
    @ValueSource(booleans = {false, true})
    void aFileThatShrinksInsideARecordIsCutShortThereAndKeepsWhatWasRead(boolean map) throws IOException {
        Path file = capture();
        long newSize = recordOffset(120) + 7;
        InputStats stats = drainWith(file, map, source -> truncate(file, newSize));
        assertEquals(120, stats.packets(), "every whole record before the new end");
        assertEquals(120, stats.events());
        assertEquals(List.of(file + ": the file shrank to " + newSize + " bytes while it was read: cut short at offset "
                + recordOffset(120) + " in packet 121; results up to there kept"), stats.warnings());
    }

    @ParameterizedTest(name = "mapped {0}")
    @ValueSource(booleans = {false, true})
    void aFileThatShrinksToARecordBoundaryIsStillReportedShort(boolean map) throws IOException {
        Path file = capture();
        long newSize = recordOffset(150);
        InputStats stats = drainWith(file, map, source -> truncate(file, newSize));
        assertEquals(150, stats.events());
        assertEquals(List.of(file + ": the file shrank to " + newSize + " bytes while it was read: cut short at offset "
                + newSize + " in packet 151; results up to there kept"), stats.warnings());
    }

    @ParameterizedTest(name = "mapped {0}")
    @ValueSource(booleans = {false, true})
    void aFileThatShrinksBelowTheWindowAlreadyReadEndsAtTheNextRefill(boolean map) throws IOException {
        Path file = capture();
        // Event 50 is record 49; the window read for it holds some records after it, which are
        // read from memory, the next fill finds the end.
        InputStats stats = drainWith(file, map, source -> truncate(file, recordOffset(10)));
        long read = stats.packets();
        assertTrue(read >= 50 && read < 50 + WINDOW / RECORD + 2, "read " + read);
        assertEquals(1, stats.warnings().size());
        assertTrue(stats.warnings().get(0).startsWith(file + ": the file shrank to " + recordOffset(10) + " bytes"),
                stats.warnings().toString());
    }

    @ParameterizedTest(name = "mapped {0}")
    @ValueSource(booleans = {false, true})
    void aStopRequestEndsReadingAtARecordBoundaryWithinOneRefill(boolean map) throws IOException {
        Path file = capture();
        InputStats stats = drainWith(file, map, EventSource::requestStop);
        long read = stats.packets();
        // The flag is checked when the next header needs a refill: within one chunk's records.
        assertTrue(read >= 50 && read <= 50 + CHUNK / RECORD + 1, "read " + read);
        assertEquals(read, stats.events());
        assertEquals(List.of("interrupted at offset " + recordOffset((int) read) + " in packet " + (read + 1) + " of "
                + file + "; results up to there kept"), stats.warnings());
    }

    @Test
    void aStopRequestEndsAGzipStreamToo() throws IOException {
        Path plain = capture();
        Path gz = dir.resolve("echo.pcap.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        InputStats stats = new InputStats();
        CountingInputStream fileBytes = new CountingInputStream(Files.newInputStream(gz));
        StreamInput in = new StreamInput(gz.toString(), new GZIPInputStream(fileBytes), fileBytes, true, CHUNK);
        try (EventSource source = PcapReader.open(gz.toString(), in, Files.size(gz))) {
            int[] events = {0};
            source.drainTo(e -> {
                if (++events[0] == 50) {
                    source.requestStop();
                }
            }, stats);
        }
        long read = stats.packets();
        assertTrue(read >= 50 && read <= 50 + CHUNK / RECORD + 1, "read " + read);
        assertEquals(List.of("interrupted at offset " + recordOffset((int) read) + " in packet " + (read + 1) + " of "
                + gz + "; results up to there kept"), stats.warnings());
    }
}
