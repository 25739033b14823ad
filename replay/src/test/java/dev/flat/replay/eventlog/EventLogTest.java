package dev.flat.replay.eventlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputException;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {
    private static final long CLOCK_OFFSET = 1_700_000_000_000_000_000L;
    private static final EventLogHeader HEADER =
            new EventLogHeader(1_700_000_123_000_000_000L, CLOCK_OFFSET, 7, "lab-host", "veth0", "6.18.0-flat");

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsHeaderAndRecordsAndAppliesTheClockOffset() throws IOException {
        Path log = dir.resolve("a.flatlog");
        List<byte[]> written = writeLog(log, 3000);

        try (EventLogReader reader = EventLogReader.open(log)) {
            assertEquals(HEADER, reader.header());
            assertEquals("veth0", reader.interfaces().label(7));
            InputStats stats = new InputStats();
            List<byte[]> read = drain(reader, stats);
            assertEquals(written.size(), read.size());
            for (int i = 0; i < written.size(); i++) {
                EventRecord expected = view(written.get(i));
                expected.tsNs(expected.tsNs() + CLOCK_OFFSET);
                assertArrayEquals(written.get(i), read.get(i), "record " + i);
            }
            assertEquals(3000, stats.packets());
            assertEquals(3000, stats.events());
            assertEquals(0, stats.skippedTotal());
            assertEquals(List.of(), stats.warnings());
            assertEquals(Files.size(log), reader.position());
        }
    }

    @Test
    void headerIsEightAlignedAndRecordsFollowIt() throws IOException {
        byte[] header = HEADER.encode();
        assertEquals(0, header.length % 8);
        Path log = dir.resolve("b.flatlog");
        writeLog(log, 2);
        assertEquals(header.length + 2L * EventRecord.ENCODED_LENGTH, Files.size(log));
        assertArrayEquals(header, java.util.Arrays.copyOf(Files.readAllBytes(log), header.length));
    }

    @Test
    void gzipCompressedLogReadsTheSame() throws IOException {
        Path log = dir.resolve("c.flatlog");
        writeLog(log, 500);
        Path gz = dir.resolve("c.flatlog.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(log));
        }
        List<byte[]> plain;
        try (EventLogReader reader = EventLogReader.open(log)) {
            plain = drain(reader, new InputStats());
        }
        // Through Inputs, as `flat analyze events.flat.gz` opens it: detected behind the gzip magic.
        try (EventSource reader = dev.flat.replay.Inputs.open(gz)) {
            InputStats stats = new InputStats();
            List<byte[]> unzipped = drain(reader, stats);
            assertEquals(plain.size(), unzipped.size());
            for (int i = 0; i < plain.size(); i++) {
                assertArrayEquals(plain.get(i), unzipped.get(i));
            }
            assertEquals(List.of(), stats.warnings());
        }
    }

    @Test
    void logCutShortKeepsTheWholeRecordsAndWarns() throws IOException {
        Path log = dir.resolve("d.flatlog");
        writeLog(log, 1500);
        byte[] bytes = Files.readAllBytes(log);
        int headerLength = HEADER.encode().length;
        int cut = bytes.length - 30;
        Files.write(log, java.util.Arrays.copyOf(bytes, cut));

        try (EventLogReader reader = EventLogReader.open(log)) {
            InputStats stats = new InputStats();
            assertEquals(1499, drain(reader, stats).size());
            long wholeEnd = headerLength + 1499L * EventRecord.ENCODED_LENGTH;
            assertEquals(List.of(log + ": cut short at offset " + wholeEnd + "; 1499 whole records kept"), stats.warnings());
        }
    }

    @Test
    void aStopRequestEndsTheReadingAtTheNextChunkOfRecords() throws IOException {
        Path log = dir.resolve("stop.flatlog");
        writeLog(log, 3000);
        InputStats stats = new InputStats();
        try (EventLogReader reader = EventLogReader.open(log)) {
            int[] events = {0};
            reader.drainTo(e -> {
                if (++events[0] == 100) {
                    reader.requestStop();
                }
            }, stats);
        }
        // Records are read 1024 at a time; the request is looked at before each chunk.
        assertEquals(1024, stats.packets());
        assertEquals(List.of("interrupted at offset " + (HEADER.encode().length + 1024L * EventRecord.ENCODED_LENGTH)
                + " in record 1025 of " + log + "; results up to there kept"), stats.warnings());
    }

    @Test
    void recordsOfUnknownTypeOrVersionAreSkippedAsBadRecords() throws IOException {
        Path log = dir.resolve("e.flatlog");
        try (EventLogWriter writer = EventLogWriter.create(log, HEADER)) {
            writer.write(record(1));
            writer.write(record(2).type(9));
            writer.write(record(3).version(2));
            writer.write(record(4));
        }
        try (EventLogReader reader = EventLogReader.open(log)) {
            InputStats stats = new InputStats();
            List<byte[]> read = drain(reader, stats);
            assertEquals(2, read.size());
            assertEquals(4, stats.packets());
            assertEquals(2, stats.events());
            assertEquals(2, stats.skipped(SkipReason.BAD_RECORD));
        }
    }

    @Test
    void writerFlushesAtTheRecordThresholdWithoutClosing() throws IOException {
        Path log = dir.resolve("f.flatlog");
        EventLogWriter writer = EventLogWriter.create(log, HEADER);
        try {
            int headerLength = HEADER.encode().length;
            for (int i = 0; i < EventLogWriter.FLUSH_RECORDS - 1; i++) {
                writer.write(record(i));
            }
            assertEquals(headerLength, Files.size(log), "buffered, not yet written");
            writer.write(record(0));
            assertEquals(headerLength + (long) EventLogWriter.FLUSH_RECORDS * EventRecord.ENCODED_LENGTH, Files.size(log));
            assertEquals(EventLogWriter.FLUSH_RECORDS, writer.recordsKept());
        } finally {
            writer.close();
        }
        writer.close(); // idempotent
    }

    @Test
    void headerRejectsNamesLongerThanTheirBound() {
        assertThrows(IllegalArgumentException.class,
                () -> new EventLogHeader(0, 0, 1, "h", "sixteen-chars-xx", "r"));
        assertThrows(IllegalArgumentException.class,
                () -> new EventLogHeader(0, 0, 1, "h".repeat(256), "eth0", "r"));
        assertThrows(IllegalArgumentException.class,
                () -> new EventLogHeader(0, 0, -1, "h", "eth0", "r"));
    }

    static List<byte[]> writeLog(Path log, int n) throws IOException {
        List<byte[]> written = new ArrayList<>();
        try (EventLogWriter writer = EventLogWriter.create(log, HEADER)) {
            for (int i = 0; i < n; i++) {
                EventRecord r = record(i);
                writer.write(r);
                written.add(r.buffer().array().clone());
            }
            assertEquals(n, writer.recordsWritten());
        }
        return written;
    }

    static EventRecord record(int i) {
        EventRecord r = EventRecord.allocate();
        byte[] client = {10, 0, 0, 1};
        byte[] server = {10, 0, 0, (byte) (2 + i % 5)};
        r.type(EventRecord.TYPE_PACKET).version(EventRecord.VERSION).direction(2).ipVersion(4)
                .ipProto(EventRecord.PROTO_UDP).ttl(64).tsDigits(9).payloadLen(33).ifindex(7)
                .tsNs(5_000_000_000L + 1000L * i).sport(40000 + i % 1000).dport(53)
                .saddrV4(client, 0).daddrV4(server, 0).payload(new byte[] {(byte) i, (byte) (i >> 8), 1, 0}, 0, 4);
        return r;
    }

    static List<byte[]> drain(EventSource reader, InputStats stats) throws IOException {
        List<byte[]> out = new ArrayList<>();
        reader.drainTo(e -> {
            byte[] copy = new byte[EventRecord.ENCODED_LENGTH];
            e.buffer().get(e.offset(), copy, 0, copy.length);
            out.add(copy);
        }, stats);
        return out;
    }

    static EventRecord view(byte[] bytes) {
        return new EventRecord().wrap(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0);
    }

    static InputException openFails(Path log) {
        return assertThrows(InputException.class, () -> EventLogReader.open(log).close());
    }

    static void assertProblem(InputException e, long offset, String fragment) {
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.problem().contains(fragment), e.getMessage());
    }
}
