package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimestampResolutionTest {
    @Test
    void powersOfTen() {
        assertEquals(1_000_000_000L, TimestampResolution.of(0).toNanos(1));
        assertEquals(1_000L, TimestampResolution.of(6).toNanos(1));
        assertEquals(1L, TimestampResolution.of(9).toNanos(1));
        assertEquals(1L, TimestampResolution.of(12).toNanos(1_999));
        assertEquals(6, TimestampResolution.of(3).digits());
        assertEquals(6, TimestampResolution.of(6).digits());
        assertEquals(9, TimestampResolution.of(7).digits());
    }

    @Test
    void powersOfTwo() {
        TimestampResolution r = TimestampResolution.of(0x80 | 30);
        assertEquals(3_000_000_000L + 250_000_000L, r.toNanos((3L << 30) | (1L << 28)));
        assertEquals(0, r.toNanos(1)); // 0.93 ns truncates
        assertEquals(1_000_000_000L, TimestampResolution.of(0x80).toNanos(1));
        TimestampResolution finest = TimestampResolution.of(0x80 | 63);
        assertEquals(500_000_000L, finest.toNanos(1L << 62));
        assertEquals(6, TimestampResolution.of(0x80 | 19).digits()); // 2^19 < 1e6
        assertEquals(9, TimestampResolution.of(0x80 | 20).digits());
    }

    @Test
    void unitsBeyondTheClockDoNotFitAndAreKeptModulo2To64() {
        TimestampResolution micros = TimestampResolution.of(6);
        assertFalse(micros.fits(-1L));
        assertEquals(-1_000L, micros.toNanos(-1L));
        assertTrue(micros.fits(Long.MAX_VALUE / 1_000));
        assertFalse(micros.fits(Long.MAX_VALUE / 1_000 + 1));
        TimestampResolution seconds = TimestampResolution.of(0);
        assertFalse(seconds.fits(Long.MAX_VALUE / 10));
        assertEquals(Long.MAX_VALUE / 10 * 1_000_000_000L, seconds.toNanos(Long.MAX_VALUE / 10));
        TimestampResolution halves = TimestampResolution.of(0x80 | 1);
        assertFalse(halves.fits(-1L));
        assertEquals((-1L >>> 1) * 1_000_000_000L + 500_000_000L, halves.toNanos(-1L));
        // The last second that fits (2^63 ns is 9223372036.854775808 s), fractions either side of its end.
        long lastSecond = Long.MAX_VALUE / 1_000_000_000L;
        TimestampResolution sixteenths = TimestampResolution.of(0x80 | 4);
        assertTrue(sixteenths.fits((lastSecond << 4) | 13), "9223372036.8125 s");
        assertFalse(sixteenths.fits((lastSecond << 4) | 14), "9223372036.875 s");
        TimestampResolution finest = TimestampResolution.of(18);
        assertTrue(finest.fits(-1L));
        assertEquals(Long.divideUnsigned(-1L, 1_000_000_000L), finest.toNanos(-1L));
    }

    @Test
    void resolutionsTooFineToScaleAreRefused() {
        assertNull(TimestampResolution.of(28));
        assertNull(TimestampResolution.of(0x80 | 64));
    }
}
