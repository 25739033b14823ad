package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-second cache of {@link TimeText}: one formatter over runs that cross every boundary. */
class TimeTextTest {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final long NS = 1_000_000_000L;

    private final TimeText times = new TimeText();
    private final AsciiBuilder out = new AsciiBuilder(64);

    /** java.time's text with the first {@code digits} of the 9 nanosecond digits. */
    private static String expected(long epochNs, int digits) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(epochNs, NS), Math.floorMod(epochNs, NS));
        String fraction = String.format("%09d", i.getNano()).substring(0, digits);
        return SECONDS.format(i) + (digits > 0 ? "." + fraction : "") + "Z";
    }

    private void check(long epochNs, int digits) {
        assertEquals("row," + expected(epochNs, digits),
                times.appendIso(out.reset().append("row,"), epochNs, digits).toString(), "at " + epochNs + " ns");
    }

    @Test
    void crossesSecondDayYearAndLeapDayBoundaries() {
        long[] boundaries = {
            0, // 1970-01-01T00:00:00 from both sides: negative epochs
            951_782_400L * NS, // 2000-02-29, a leap day of a year divisible by 400
            951_868_800L * NS, // 2000-03-01
            1_709_164_800L * NS, // 2024-02-29
            1_704_067_200L * NS, // 2024-01-01: a year boundary
            4_107_456_000L * NS, // 2100-02-28 (2100 is not a leap year)
            4_107_542_400L * NS, // 2100-03-01
            -2_203_891_200L * NS, // 1900-03-01
        };
        for (long boundary : boundaries) {
            for (int digits : new int[] {9, 6, 0}) {
                // a monotonic run with steps below, at and above a second, through the boundary
                for (long t = boundary - 2 * NS - 1; t <= boundary + 2 * NS + 1; t += NS / 4 + 1) {
                    check(t, digits);
                }
                check(boundary - 1, digits);
                check(boundary, digits);
                check(boundary - 86_400 * NS, digits); // back a whole day: same time of day, other date
                check(boundary, digits);
            }
        }
    }

    @Test
    void agreesWithJavaTimeInOrderAndAtRandom() {
        SplittableRandom random = new SplittableRandom(8601);
        long t = 1_714_564_800_123_456_789L;
        for (int i = 0; i < 200_000; i++) {
            int digits = random.nextBoolean() ? 9 : 6;
            long step = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(1_000); // same second, mostly
                case 1 -> random.nextLong(3 * NS); // the next second or two
                case 2 -> random.nextLong(-100_000L * NS, 100_000L * NS); // days away, both ways
                default -> 0;
            };
            t = random.nextInt(100) == 0 ? random.nextLong() : t + step; // sometimes anywhere in a long
            check(t, digits);
        }
        check(Long.MIN_VALUE, 9);
        check(Long.MAX_VALUE, 9);
        check(Long.MIN_VALUE, 0);
    }

    @Test
    void digitsAreClampedAndMicrosecondsKeepSix() {
        long t = 1_714_564_800_123_456_789L;
        assertEquals("2024-05-01T12:00:00.123456Z", times.appendIso(out.reset(), t, 6).toString());
        assertEquals("2024-05-01T12:00:00.123456789Z", times.appendIso(out.reset(), t, 12).toString());
        assertEquals("2024-05-01T12:00:00Z", times.appendIso(out.reset(), t, -3).toString());
        assertEquals(TimeText.iso(t, 3), "2024-05-01T12:00:00.123Z");
    }
}
