package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.replay.eventlog.EventLogHeader;
import dev.flat.replay.eventlog.EventLogWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pipe ({@code flat analyze <(zcat x.pcap.gz)}, a FIFO, /dev/stdin) can be read once only: its
 * format must be found without consuming it, and {@link Inputs#check} must not open it. Each
 * format read through a FIFO gives exactly the events of the same bytes read as a regular file.
 */
class PipeInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pcap", "pcapng", "pcap.gz", "pcapng.gz", "flatlog", "flatlog.gz"})
    void everyFormatReadsThroughAPipeAsFromAFile(String format) throws Exception {
        Path file = sample(format);
        InputStats fromFile = new InputStats();
        List<byte[]> expected = events(file, fromFile);
        assertTrue(fromFile.events() > 0, "the sample has events");

        Path fifo = fifo();
        Inputs.check(fifo); // must not open the pipe: the writer below would then see no reader
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> copy(file, fifo));
        InputStats fromPipe = new InputStats();
        List<byte[]> actual = events(fifo, fromPipe);
        writer.get(10, TimeUnit.SECONDS);

        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "event " + i);
        }
        assertEquals(fromFile.packets(), fromPipe.packets());
        assertEquals(fromFile.warnings(), fromPipe.warnings().stream().map(w -> w.replace(fifo.toString(), file.toString())).toList());
    }

    @Test
    void aPipeThatEndsAtOnceIsTooShortForAnyFormat() throws Exception {
        Path fifo = fifo();
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> copy(empty, fifo));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.flat.core.input.InputException.class,
                () -> Inputs.open(fifo).close());
        assertTrue(e.getMessage().contains("too short for any capture format"), e.getMessage());
        writer.get(10, TimeUnit.SECONDS);
    }

    private Path sample(String format) throws IOException {
        Path pcap = Corpus.file("tcpreplay__test.pcap");
        Path pcapng = Corpus.file("PcapPlusPlus__many_interfaces-1.pcapng");
        return switch (format) {
            case "pcap" -> pcap;
            case "pcapng" -> pcapng;
            case "pcap.gz" -> gzip(pcap);
            case "pcapng.gz" -> gzip(pcapng);
            case "flatlog" -> eventLog(pcap);
            case "flatlog.gz" -> gzip(eventLog(pcap));
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** The capture's events written as an event log. */
    private Path eventLog(Path capture) throws IOException {
        Path log = dir.resolve(capture.getFileName() + ".flatlog");
        EventLogHeader header = new EventLogHeader(1_700_000_000_000_000_000L, 0, 3, "host", "eth0", "6.18.0");
        try (EventLogWriter w = EventLogWriter.create(log, header); EventSource s = Inputs.open(capture)) {
            s.drainTo(e -> {
                try {
                    w.write(e);
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }, new InputStats());
        }
        return log;
    }

    private Path gzip(Path source) throws IOException {
        return Corpus.gzip(source, dir);
    }

    private Path fifo() throws IOException, InterruptedException {
        Path fifo = dir.resolve("fifo-" + System.nanoTime());
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo");
        return fifo;
    }

    private static void copy(Path from, Path to) {
        try (OutputStream out = Files.newOutputStream(to)) {
            Files.copy(from, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<byte[]> events(Path file, InputStats stats) throws IOException {
        List<byte[]> events = new ArrayList<>();
        try (EventSource s = Inputs.open(file)) {
            s.drainTo(e -> events.add(Corpus.bytes(e)), stats);
        }
        return events;
    }
}
