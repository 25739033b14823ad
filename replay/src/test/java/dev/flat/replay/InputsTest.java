package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
    @TempDir
    Path dir;

    private Path gzip(Path source) throws IOException {
        return Corpus.gzip(source, dir);
    }

    private static List<byte[]> eventBytes(List<EventRecord> events) {
        List<byte[]> b = new ArrayList<>();
        events.forEach(e -> b.add(Corpus.bytes(e)));
        return b;
    }

    private static void assertSameEvents(List<EventRecord> expected, List<EventRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(Corpus.bytes(expected.get(i)), Corpus.bytes(actual.get(i)), "event " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcpreplay__test.pcap", "PcapPlusPlus__many_interfaces-1.pcapng"})
    void gzipIsDecompressedAndDetectedAgain(String name) throws IOException {
        InputStats plain = new InputStats();
        InputStats compressed = new InputStats();
        List<EventRecord> expected = Corpus.events(Corpus.file(name), plain);
        Path gz = gzip(Corpus.file(name));
        assertSameEvents(expected, Corpus.events(gz, compressed));
        assertEquals(plain.packets(), compressed.packets());
        assertEquals(plain.skippedByReason(), compressed.skippedByReason());
        try (EventSource s = Inputs.open(gz)) {
            s.drainTo(e -> { }, new InputStats());
            assertEquals(Files.size(gz), s.size());
            assertEquals(s.size(), s.position());
        }
    }

    @Test
    void gzipCutShortIsReportedLikeAShortFile() throws IOException {
        Path gz = gzip(Corpus.file("zeek__wikipedia.pcap"));
        byte[] b = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.pcap.gz");
        Files.write(cut, Arrays.copyOf(b, b.length * 2 / 3));
        InputStats stats = new InputStats();
        List<EventRecord> events = Corpus.events(cut, stats);
        assertTrue(events.size() > 0 && events.size() < 65, "events " + events.size());
        assertEquals(1, stats.warnings().size());
        assertTrue(stats.warnings().get(0).contains("cut short at offset"), stats.warnings().get(0));
    }

    @Test
    void unknownMagicNamesFileOffsetAndMagic() throws IOException {
        Path f = dir.resolve("capture.pcap"); // the name does not matter
        Files.write(f, "hello world".getBytes());
        InputException e = assertThrows(InputException.class, () -> Inputs.open(f));
        assertEquals(f.toString(), e.file());
        assertEquals(0, e.offset());
        assertTrue(e.problem().contains("magic 68656c6c"), e.problem());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void filesTooShortForAMagicAreErrors(int length) throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, new byte[length]);
        InputException e = assertThrows(InputException.class, () -> Inputs.open(f));
        assertEquals(0, e.offset());
    }

    @Test
    void gzipInsideGzipIsRefused() throws IOException {
        Path twice = gzip(gzip(Corpus.file("tcpdump__dns_udp.pcap")));
        InputException e = assertThrows(InputException.class, () -> Inputs.open(twice));
        assertTrue(e.problem().contains("gzip inside gzip"), e.problem());
    }

    @Test
    void eventLogMagicGoesToTheEventLogReader() throws IOException {
        Path f = dir.resolve("x.pcap");
        byte[] b = new byte[64];
        System.arraycopy("FLATLOG\0".getBytes(), 0, b, 0, 8);
        Files.write(f, b);
        InputException e = assertThrows(InputException.class, () -> Inputs.open(f));
        assertFalse(e.problem().contains("unknown format"), e.problem());
    }

    /**
     * Records spanning chunk boundaries (streams) or copy and mapping-window boundaries (mapped
     * files) read the same as with the 1 MiB chunk.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcpreplay__test.pcap", "PcapPlusPlus__many_interfaces-1.pcapng",
                            "PcapPlusPlus__pcapng-example.pcapng"})
    void smallChunksGiveTheSameEvents(String name) throws IOException {
        Path file = Corpus.file(name);
        InputStats expectedStats = new InputStats();
        List<EventRecord> expected = Corpus.events(file, expectedStats);
        byte[] content = Files.readAllBytes(file);
        for (int chunk : new int[] {2048, 3001}) {
            CountingInputStream bytes = new CountingInputStream(new ByteArrayInputStream(content));
            assertReadsTheSame(name, new StreamInput(name, bytes, bytes, false, chunk), content.length,
                    expected, expectedStats);
            // Windows just over a chunk: many records straddle a window's end.
            for (boolean map : new boolean[] {false, true}) { // read, and mapped in windows as large files are
                assertReadsTheSame(name, ChannelInput.open(file, chunk, chunk + 4097, map), content.length,
                        expected, expectedStats);
            }
        }
        assertFalse(eventBytes(expected).isEmpty());
    }

    private static void assertReadsTheSame(String name, ChunkedInput in, long size, List<EventRecord> expected,
                                           InputStats expectedStats) throws IOException {
        in.require(4);
        boolean pcapng = in.buffer()[in.pos()] == 0x0A;
        InputStats stats = new InputStats();
        List<EventRecord> events = new ArrayList<>();
        try (EventSource s = pcapng ? PcapngReader.open(name, in, size) : PcapReader.open(name, in, size)) {
            s.drainTo(e -> events.add(Corpus.copy(e)), stats);
            assertEquals(size, s.position());
        }
        assertSameEvents(expected, events);
        assertEquals(expectedStats.packets(), stats.packets());
        assertEquals(expectedStats.skippedByReason(), stats.skippedByReason());
        assertEquals(expectedStats.timestampsOutOfRange(), stats.timestampsOutOfRange());
        // The same warnings (pcapng-example's times out of range), named after the file as opened.
        assertEquals(expectedStats.warnings().stream().map(w -> w.substring(w.indexOf(": "))).toList(),
                stats.warnings().stream().map(w -> w.substring(w.indexOf(": "))).toList());
    }
}
