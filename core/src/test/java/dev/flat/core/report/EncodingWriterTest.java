package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodingWriterTest {
    /** Counts the flushes and closes that reach the file, which are system calls in real life. */
    private static final class CountingStream extends ByteArrayOutputStream {
        int flushes;
        int closes;

        @Override
        public void flush() { flushes++; }

        @Override
        public void close() { closes++; }
    }

    /** One step of a mixed stream of writes, applied alike to the writer under test and the reference. */
    private interface Step {
        void apply(Writer w) throws IOException;
    }

    @Test
    void asciiCharsetsAreRecognisedAndOthersAreNot() {
        assertTrue(EncodingWriter.encodesAsciiAsItself(StandardCharsets.UTF_8));
        assertTrue(EncodingWriter.encodesAsciiAsItself(StandardCharsets.US_ASCII));
        assertTrue(EncodingWriter.encodesAsciiAsItself(StandardCharsets.ISO_8859_1));
        assertFalse(EncodingWriter.encodesAsciiAsItself(StandardCharsets.UTF_16));
        assertFalse(EncodingWriter.encodesAsciiAsItself(StandardCharsets.UTF_16LE));
        if (Charset.isSupported("IBM037")) { // EBCDIC: one byte per char, but other bytes
            assertFalse(EncodingWriter.encodesAsciiAsItself(Charset.forName("IBM037")));
        }
    }

    /**
     * Random interleavings of ASCII rows (through {@link AsciiBuilder#writeTo}, which takes the
     * byte path when it can) and text with non-ASCII letters, a surrogate pair split across two
     * writes and a lone surrogate give exactly the bytes that BufferedWriter over
     * OutputStreamWriter, the writer this one replaces, gives for the same text.
     */
    @Test
    void mixedWritesGiveTheBytesOfABufferedOutputStreamWriter() throws IOException {
        for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.US_ASCII,
                StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16)) {
            Random random = new Random(charset.name().hashCode());
            for (int round = 0; round < 50; round++) {
                List<Step> steps = randomSteps(random);
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                try (Writer reference = new BufferedWriter(new OutputStreamWriter(expected, charset))) {
                    for (Step s : steps) {
                        s.apply(reference);
                    }
                }
                CountingStream actual = new CountingStream();
                try (EncodingWriter w = new EncodingWriter(actual, charset)) {
                    for (Step s : steps) {
                        s.apply(w);
                    }
                }
                assertArrayEquals(expected.toByteArray(), actual.toByteArray(), charset + " round " + round);
                assertEquals(1, actual.closes);
            }
        }
    }

    private static List<Step> randomSteps(Random random) {
        List<Step> steps = new ArrayList<>();
        AsciiBuilder row = new AsciiBuilder(16);
        for (int i = 0, n = random.nextInt(40); i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    int digits = random.nextInt(100_000);
                    int repeat = 1 + random.nextInt(3_000); // rows beyond the 64 KiB buffer too
                    steps.add(w -> {
                        row.reset();
                        for (int r = 0; r < repeat; r++) {
                            row.append("2024-05-01T12:00:00Z,tcp,").append(digits).append('\n');
                        }
                        row.writeTo(w);
                    });
                }
                case 1 -> steps.add(w -> w.write("café, Straße, 東京\n"));
                case 2 -> steps.add(w -> {
                    w.write("\uD83D"); // the high half of 😀 ...
                    w.write("\uDE00 split\n"); // ... and its low half in the next write
                });
                case 3 -> steps.add(w -> w.write("lone \uDC00 surrogate\n"));
                case 4 -> steps.add(w -> w.write('x'));
                default -> steps.add(Writer::flush);
            }
        }
        return steps;
    }

    @Test
    void asciiAfterTextDoesNotFlushTheFile() throws IOException {
        CountingStream out = new CountingStream();
        EncodingWriter w = new EncodingWriter(out, StandardCharsets.UTF_8);
        AsciiBuilder line = new AsciiBuilder(16).append("a row of digits 12345\n");
        for (int i = 0; i < 1_000; i++) {
            w.write("\u001b[1m"); // a colour escape as chars, then the row as bytes
            line.writeTo(w);
        }
        assertEquals(0, out.flushes);
        assertEquals(0, out.size(), "everything is still in the 64 KiB buffer");
        w.flush();
        assertEquals(1, out.flushes);
        assertEquals(1_000 * ("\u001b[1m".length() + line.length()), out.size());
    }

    @Test
    void asciiBytesAreRefusedWhereTheyWouldNotBeAsciiText() {
        EncodingWriter w = new EncodingWriter(new ByteArrayOutputStream(), StandardCharsets.UTF_16);
        assertFalse(w.takesAscii());
        assertThrows(IllegalStateException.class, () -> w.writeAscii(new byte[] {'a'}, 0, 1));
    }
}
