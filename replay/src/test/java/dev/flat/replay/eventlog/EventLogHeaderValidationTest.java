package dev.flat.replay.eventlog;

import static dev.flat.replay.eventlog.EventLogTest.assertProblem;
import static dev.flat.replay.eventlog.EventLogTest.openFails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each header field out of bounds is refused with the field's offset. */
class EventLogHeaderValidationTest {
    private static final EventLogHeader HEADER = new EventLogHeader(1, 2, 3, "host", "eth0", "6.1.0");

    @TempDir
    Path dir;

    @Test
    void wrongMagic() throws IOException {
        assertProblem(openFails(log(b -> b.put(0, (byte) 'X'))), 0, "magic");
    }

    @Test
    void unsupportedVersion() throws IOException {
        assertProblem(openFails(log(b -> b.putShort(8, (short) 2))), 8, "version 2");
    }

    @Test
    void headerLengthNotAMultipleOfEight() throws IOException {
        assertProblem(openFails(log(b -> b.putShort(10, (short) 52))), 10, "header length 52");
    }

    @Test
    void headerLengthBeyondTheBound() throws IOException {
        assertProblem(openFails(log(b -> b.putShort(10, (short) 8192))), 10, "header length 8192");
    }

    @Test
    void headerLengthBelowTheFixedPart() throws IOException {
        assertProblem(openFails(log(b -> b.putShort(10, (short) 40))), 10, "header length 40");
    }

    @Test
    void recordSizeOtherThanEighty() throws IOException {
        assertProblem(openFails(log(b -> b.putShort(12, (short) 64))), 12, "record size 64");
    }

    @Test
    void hostNameLongerThanItsBound() throws IOException {
        assertProblem(openFails(log(b -> b.putShort(40, (short) 300))), 40, "host name is 300 bytes");
    }

    @Test
    void stringRunningPastTheHeader() throws IOException {
        // The header is 64 bytes: a 200-byte host name (within its bound) cannot fit.
        assertProblem(openFails(log(b -> b.putShort(40, (short) 200))), 40, "runs past the header length 64");
    }

    @Test
    void stringThatIsNotUtf8() throws IOException {
        assertProblem(openFails(log(b -> b.put(42, (byte) 0xC3).put(43, (byte) 0x28))), 42, "not valid UTF-8");
    }

    @Test
    void headerCutShort() throws IOException {
        byte[] bytes = HEADER.encode();
        Path p = dir.resolve("short.flatlog");
        Files.write(p, Arrays.copyOf(bytes, 30));
        assertProblem(openFails(p), 30, "header cut short (30 of ");
        Files.write(p, Arrays.copyOf(bytes, 10));
        assertProblem(openFails(p), 10, "header cut short (10 of 16 bytes)");
    }

    @Test
    void emptyLogWithAValidHeaderHasNoEvents() throws IOException {
        Path p = log(b -> { });
        try (EventLogReader reader = EventLogReader.open(p)) {
            var stats = new dev.flat.core.input.InputStats();
            reader.drainTo(e -> { throw new AssertionError("no events expected"); }, stats);
            assertEquals(0, stats.packets());
            assertEquals(0, stats.warnings().size());
        }
    }

    private Path log(Consumer<ByteBuffer> corrupt) throws IOException {
        byte[] bytes = HEADER.encode();
        corrupt.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        Path p = dir.resolve("bad.flatlog");
        Files.write(p, bytes);
        return p;
    }
}
