package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeAndMillisTest {
    private static final long T = 1_714_564_800_123_456_789L; // 2024-05-01T12:00:00.123456789Z

    @Test
    void timeKeepsExactlyTheSourceDigits() {
        assertEquals("2024-05-01T12:00:00.123456789Z", TimeText.iso(T, 9));
        assertEquals("2024-05-01T12:00:00.123456Z", TimeText.iso(T - 789, 6));
        assertEquals("2024-05-01T12:00:00Z", TimeText.iso(T, 0));
        assertEquals("1970-01-01T00:00:00.000000001Z", TimeText.iso(1, 9));
        assertEquals("1969-12-31T23:59:59.999999999Z", TimeText.iso(-1, 9));
    }

    @Test
    void latencyIsExactWithDecimalsFromTheSourceResolution() {
        assertEquals("1.234567", Millis.exact(1_234_567, 9).toPlainString());
        assertEquals("0.000001", Millis.exact(1, 9).toPlainString());
        assertEquals("1.234", Millis.exact(1_234_000, 6).toPlainString());
        assertEquals("10000.000", Millis.exact(10_000_000_000L, 6).toPlainString());
        // a µs-tagged latency that is not whole µs keeps its digits rather than being rounded
        assertEquals("1.234500", Millis.exact(1_234_500, 6).toPlainString());
        assertEquals("0.1", Millis.exact(100_000, 6).stripTrailingZeros().toPlainString(), "0.1 ms is exact");
    }

    @Test
    void isoTimeAgreesWithJavaTimeOverTheWholeRangeOfALong() {
        SplittableRandom random = new SplittableRandom(5952);
        long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, 0, 951_782_400_000_000_000L, // 2000-02-29
            4_107_456_000_000_000_000L, -2_203_891_200_000_000_000L}; // 2100-02-28, 1900-03-01
        for (int i = 0; i < 200_000; i++) {
            long t = i < edges.length ? edges[i] : random.nextLong();
            Instant instant = Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L));
            String expected = String.format("%tFT%<tT.%09dZ", instant.atZone(java.time.ZoneOffset.UTC), instant.getNano());
            assertEquals(expected, TimeText.iso(t, 9), "at " + t);
            assertEquals(expected.substring(0, 19) + "Z", TimeText.iso(t, 0));
        }
    }

    @Test
    void appendedLatencyIsTheExactDecimalsText() {
        SplittableRandom random = new SplittableRandom(4180);
        long[] edges = {0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, -1_000_000, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < 200_000; i++) {
            long ns = i < edges.length ? edges[i]
                    : random.nextBoolean() ? random.nextLong() : random.nextLong(-20_000_000_000L, 20_000_000_000L) / 1000 * (random.nextBoolean() ? 1000 : 1);
            for (int digits : new int[] {0, 3, 6, 9}) {
                BigDecimal exact = Millis.exact(ns, digits);
                AsciiBuilder text = new AsciiBuilder(0).append('x');
                assertEquals("x" + exact.toPlainString(), Millis.appendExact(text, ns, digits).toString(),
                        ns + " ns, " + digits + " digits");
            }
        }
    }

    /** What the json and html figures wrote before as {@code writeNumber(BigDecimal.valueOf(ns, 6))}: its toString. */
    @Test
    void nanosAsMillisTextIsBigDecimalsText() {
        SplittableRandom random = new SplittableRandom(27);
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 5L, 999L, 1_000L, 100_000L, 999_999L, 1_000_000L,
                1_234_000L, -1_000_000L, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE));
        for (int i = 0; i < 50_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        for (long ns : values) {
            assertEquals(BigDecimal.valueOf(ns, 6).toString(), Millis.ofNanos(ns), ns + " ns");
        }
    }

    @Test
    void displayRoundsToMicroseconds() {
        assertEquals("1.235", Millis.display(1_234_567));
        assertEquals("0.000", Millis.display(400));
        // As BigDecimal rounds half-even to 3 decimals, both signs, at the halves and the extremes.
        long[] edges = {0, 1, 499, 500, 501, 1_500, 2_500, 999_499, 999_500, 999_999, 1_000_000,
            123_456_789_500L, 123_456_788_500L, Long.MAX_VALUE, Long.MAX_VALUE - 500, Long.MIN_VALUE + 1};
        SplittableRandom random = new SplittableRandom(7);
        List<Long> values = new ArrayList<>();
        for (long e : edges) {
            values.add(e);
            values.add(-e);
        }
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        values.add(Long.MIN_VALUE);
        for (long ns : values) {
            assertEquals(BigDecimal.valueOf(ns, 6).setScale(3, RoundingMode.HALF_EVEN).toPlainString(),
                    Millis.display(ns), ns + " ns");
        }
    }
}
