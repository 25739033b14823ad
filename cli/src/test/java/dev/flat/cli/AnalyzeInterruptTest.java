package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code flat analyze}, on a real JVM. The test reads a little of the JSON report
 * and then stops reading, so flat blocks on its standard output with most of the capture unread:
 * it is certainly mid-read when the SIGINT comes. Then the test reads on: the report must be
 * one well-formed JSON document covering part of the capture, stderr must say where reading
 * stopped, and the exit status must be 130.
 */
class AnalyzeInterruptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WARNING = Pattern.compile(
            "flat: warning: interrupted at offset (\\d+) in packet (\\d+) of (\\S+); results up to there kept");
    /** Time for the JVM to run the handler (on a thread it starts) while flat waits on its output. */
    private static final long HANDLER_MS = 1000;
    /** Events in one copy of the lab capture (testdata/lab/lab.pcap: 163 packets, 60 events). */
    private static final int EVENTS_PER_COPY = 60;
    /**
     * Over ReaderThread.MIN_BYTES (8 MiB), so the reading has a thread of its own, and twice the
     * events the ring of a reading started early holds (EarlyReading.RING_SLOTS), so that the
     * reading is still under way when the signal comes while flat waits on its output; 160 MB.
     */
    private static final int COPIES_TWO_THREADS = 2 * EarlyReading.RING_SLOTS / EVENTS_PER_COPY;
    /** Under it, so one thread reads and matches; 5.5 MB. */
    private static final int COPIES_ONE_THREAD = 300;

    @TempDir
    static Path dir;
    static RepeatedLab lab;

    @BeforeAll
    static void load() throws IOException {
        lab = RepeatedLab.load();
    }

    @Test
    void aLargeFileReadOnTwoThreadsEndsWithAPartialReport() throws Exception {
        Path file = lab.write(dir.resolve("large.pcap"), COPIES_TWO_THREADS, false);
        assertTrue(Files.size(file) >= ReaderThread.MIN_BYTES);
        interruptMidRead(file, lab.packets(COPIES_TWO_THREADS));
    }

    @Test
    void aSmallFileReadOnOneThreadEndsWithAPartialReport() throws Exception {
        Path file = lab.write(dir.resolve("small.pcap"), COPIES_ONE_THREAD, false);
        assertTrue(Files.size(file) < ReaderThread.MIN_BYTES);
        interruptMidRead(file, lab.packets(COPIES_ONE_THREAD));
    }

    @Test
    void aGzipFileEndsWithAPartialReport() throws Exception {
        Path file = lab.write(dir.resolve("large.pcap.gz"), COPIES_TWO_THREADS, true);
        interruptMidRead(file, lab.packets(COPIES_TWO_THREADS));
    }

    @Test
    void aSecondSigintEndsTheProcessAtOnce() throws Exception {
        Path file = lab.write(dir.resolve("second.pcap"), COPIES_ONE_THREAD, false);
        Path stderr = dir.resolve("second.err");
        Process flat = FlatProcess.start(stderr, "analyze", "--format", "json", file.toString());
        try {
            flat.getInputStream().readNBytes(4096);
            // Time to fill the pipe: then even the end of the report cannot be written.
            Thread.sleep(HANDLER_MS);
            FlatProcess.signal(flat, "INT");
            Thread.sleep(HANDLER_MS);
            // Still blocked on its output: the first signal alone cannot end it.
            assertTrue(flat.isAlive(), () -> "ended after one SIGINT with " + flat.exitValue() + ": " + read(stderr));
            FlatProcess.signal(flat, "INT");
            assertTrue(flat.waitFor(30, TimeUnit.SECONDS), "the second SIGINT did not end flat");
            assertEquals(ExitCode.INTERRUPTED, flat.exitValue(), Files.readString(stderr));
        } finally {
            flat.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void interruptMidRead(Path file, long totalPackets) throws Exception {
        Path stderr = dir.resolve(file.getFileName() + ".err");
        Process flat = FlatProcess.start(stderr, "analyze", "--format", "json", file.toString());
        try {
            InputStream out = flat.getInputStream();
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            report.write(out.readNBytes(4096));
            assertTrue(flat.isAlive(), "flat ended before the signal");
            FlatProcess.signal(flat, "INT");
            Thread.sleep(HANDLER_MS);
            out.transferTo(report);
            assertTrue(flat.waitFor(60, TimeUnit.SECONDS), "flat went on after SIGINT");
            String err = Files.readString(stderr);
            assertEquals(ExitCode.INTERRUPTED, flat.exitValue(), err);

            Matcher warning = WARNING.matcher(err);
            assertTrue(warning.find(), err);
            assertEquals(file.toString(), warning.group(3));
            JsonNode input = JSON.readTree(report.toString(StandardCharsets.UTF_8)).get("input");
            long packets = input.get("packets").asLong();
            assertTrue(packets > 0 && packets < totalPackets, packets + " of " + totalPackets);
            assertEquals(packets + 1, Long.parseLong(warning.group(2)), "the warning names the next packet");
            assertTrue(input.get("warnings").toString().contains("interrupted at offset " + warning.group(1)),
                    input.toString());
        } finally {
            flat.destroyForcibly();
        }
    }
}
