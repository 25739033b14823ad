package dev.flat.replay;

import dev.flat.core.event.EventRecord;

/**
 * A pcapng interface's timestamp unit, from its {@code if_tsresol} option
 * (draft-ietf-opsawg-pcapng section 4.2): high bit clear, the unit is 10^-n s; set, 2^-n s.
 * Converts 64-bit timestamps in that unit to nanoseconds, and says which do not fit.
 */
final class TimestampResolution {
    /** The default when an interface has no if_tsresol: microseconds. */
    static final TimestampResolution MICROS = new TimestampResolution(false, 6);
    /** 10^18 is the largest power of ten in a long: finer decimal units cannot be scaled. */
    static final int MAX_DECIMAL_EXPONENT = 9 + 18;
    /** 2^-63: the fraction of a 64-bit timestamp must fit a non-negative long. */
    static final int MAX_BINARY_EXPONENT = 63;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final boolean binary;
    private final int exponent;
    /** Decimal units: nanoseconds per unit (exponent ≤ 9) or units per nanosecond (above). */
    private final long scale;

    private TimestampResolution(boolean binary, int exponent) {
        this.binary = binary;
        this.exponent = exponent;
        long s = 1;
        if (!binary) {
            for (int i = 0; i < Math.abs(9 - exponent); i++) {
                s *= 10;
            }
        }
        this.scale = s;
    }

    /** The resolution an if_tsresol byte names, or null when it cannot be represented. */
    static TimestampResolution of(int tsresol) {
        boolean binary = (tsresol & 0x80) != 0;
        int exponent = tsresol & 0x7F;
        if (binary ? exponent > MAX_BINARY_EXPONENT : exponent > MAX_DECIMAL_EXPONENT) {
            return null;
        }
        return new TimestampResolution(binary, exponent);
    }

    /** 9 when the unit is finer than a microsecond, else 6 ({@code flat_event.ts_digits}). */
    int digits() {
        boolean finerThanMicros = binary ? (1L << exponent) > 1_000_000L : exponent > 6;
        return finerThanMicros ? EventRecord.DIGITS_NS : EventRecord.DIGITS_US;
    }

    /**
     * units, an unsigned 64-bit count, in nanoseconds modulo 2^64: the time itself when {@link
     * #fits} says so; otherwise the same number modulo 2^64 that Wireshark's time makes, so that
     * two such times still differ by their real distance ({@link PacketTime#OUT_OF_RANGE}).
     */
    long toNanos(long units) {
        if (binary) {
            long seconds = units >>> exponent;
            return seconds * NANOS_PER_SECOND + fractionNanos(units);
        }
        return exponent > 9 ? Long.divideUnsigned(units, scale) : units * scale;
    }

    /** Whether units in nanoseconds fit a signed 64-bit count, a time before 2262. */
    boolean fits(long units) {
        if (binary) {
            long seconds = units >>> exponent;
            return seconds <= Long.MAX_VALUE / NANOS_PER_SECOND
                    && fractionNanos(units) <= Long.MAX_VALUE - seconds * NANOS_PER_SECOND;
        }
        // Finer than nanoseconds: at most 2^64 / 10 ns, which fits.
        return exponent > 9 || (units >= 0 && units <= Long.MAX_VALUE / scale);
    }

    /** The binary unit's fraction of a second in nanoseconds, truncated. */
    private long fractionNanos(long units) {
        if (exponent == 0) {
            return 0;
        }
        long fraction = units & ((1L << exponent) - 1);
        // fraction * 1e9 / 2^exponent through the 128-bit product: fraction < 2^63, 1e9 < 2^30.
        long high = Math.multiplyHigh(fraction, NANOS_PER_SECOND);
        long low = fraction * NANOS_PER_SECOND;
        return (high << (64 - exponent)) | (low >>> exponent);
    }
}
