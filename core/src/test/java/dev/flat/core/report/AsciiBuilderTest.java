package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiBuilderTest {

    @Test
    void decimalsReadAsLongToString() {
        long[] edges = {0, 1, -1, 9, 10, 99, 100, -100, 999, 1000, 9999, 10_000, 65_535, 99_999, 100_000, -99_999, Integer.MAX_VALUE, Integer.MIN_VALUE,
            999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        AsciiBuilder b = new AsciiBuilder(0);
        for (long v : edges) {
            assertEquals(Long.toString(v), b.reset().append(v).toString());
        }
        SplittableRandom random = new SplittableRandom(10);
        for (int i = 0; i < 100_000; i++) {
            // every digit count is covered: the magnitude is cut at a random power of two
            long v = random.nextLong() >> random.nextInt(64);
            assertEquals("<" + v + ">", b.reset().append('<').append(v).append('>').toString());
            int port = random.nextInt(65_536);
            assertEquals(Integer.toString(port), b.reset().append(port).toString());
        }
    }

    @Test
    void everyDigitTripleIsExact() {
        for (int v = 0; v < 1000; v++) {
            String digits = String.format("%03d", v);
            int expected = digits.charAt(0) << 16 | digits.charAt(1) << 8 | digits.charAt(2);
            assertEquals(expected, AsciiBuilder.triple(v), digits);
        }
    }

    @Test
    void fixedWidthDigitsArePaddedWithZeros() {
        AsciiBuilder b = new AsciiBuilder(0);
        assertEquals("007", b.appendDigits(7, 3).toString());
        assertEquals("", b.reset().appendDigits(0, 0).toString());
        assertEquals("00", b.reset().appendDigits(0, 2).toString());
        assertEquals("123456789", b.reset().appendDigits(123_456_789, 9).toString());
        assertEquals("999999999999999999", b.reset().appendDigits(999_999_999_999_999_999L, 18).toString());
        b.reset().append("ok");
        assertThrows(IllegalArgumentException.class, () -> b.appendDigits(1000, 3));
        assertThrows(IllegalArgumentException.class, () -> b.appendDigits(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> b.appendDigits(1, 19));
        assertThrows(IllegalArgumentException.class, () -> b.appendDigits(1, -1));
        assertEquals("ok", b.toString(), "a refused append leaves the text as it was");
    }

    @Test
    void growsAcrossItsCapacityKeepingEveryByte() {
        AsciiBuilder b = new AsciiBuilder(0); // the smallest array: grows many times
        StringBuilder expected = new StringBuilder();
        byte[] word = AsciiBuilder.encode("word,");
        for (int i = 0; i < 5_000; i++) {
            b.append(i).append(',').append(word).append("s,").appendDigits(i % 100, 2).append('\n');
            expected.append(i).append(',').append("word,").append("s,").append(String.format("%02d", i % 100)).append('\n');
        }
        assertEquals(expected.length(), b.length());
        assertEquals(expected.toString(), b.toString());
        // one append far larger than the doubled capacity
        String big = "x".repeat(100_000);
        assertEquals(expected + big, b.append(big).toString());
    }

    @Test
    void writesToAWriterAsCharsAndCanBeReused() throws IOException {
        AsciiBuilder b = new AsciiBuilder(4);
        StringWriter out = new StringWriter();
        b.append("2024-05-01T12:00:00Z,").append(-42L).append('\n').writeTo(out);
        b.reset().append("tab\tand\u001b[0m escape").writeTo(out);
        b.reset().writeTo(out);
        String longRow = "x".repeat(70) + ",1\n"; // past the short-text loop: through the decoder
        b.append(longRow).writeTo(out);
        b.reset().append("short").writeTo(out); // the longer text before must not show through
        assertEquals("2024-05-01T12:00:00Z,-42\ntab\tand\u001b[0m escape" + longRow + "short", out.toString());
    }

    @Test
    void setLengthOnlyShortens() {
        AsciiBuilder b = new AsciiBuilder(8).append("abcdef");
        b.setLength(3);
        assertEquals("abc", b.append("").toString());
        assertThrows(IndexOutOfBoundsException.class, () -> b.setLength(4));
        assertThrows(IndexOutOfBoundsException.class, () -> b.setLength(-1));
        b.setLength(0);
        assertEquals(0, b.length());
    }

    @Test
    void refusesWhatIsNotAscii() {
        AsciiBuilder b = new AsciiBuilder(8).append("ok");
        assertThrows(IllegalArgumentException.class, () -> b.append('é'));
        assertThrows(IllegalArgumentException.class, () -> b.append("eth-é"));
        assertThrows(IllegalArgumentException.class, () -> AsciiBuilder.encode("µs"));
        assertThrows(IllegalArgumentException.class, () -> new AsciiBuilder(-1));
        assertEquals("ok", b.toString());
        assertArrayEquals(new byte[] {'d', 'n', 's', 0x7F}, AsciiBuilder.encode("dns\u007f"));
    }
}
