package dev.flat.core.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Latency in milliseconds from exact integer nanoseconds, never through a double (a double
 * cannot hold 0.1 ms; reports must agree digit for digit with the capture's timestamps).
 */
public final class Millis {
    /** Digits after the decimal point for a latency in ms when the source has all 9 ns digits. */
    public static final int NS_SCALE = 6;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private Millis() {}

    /**
     * The latency with as many ms decimals as the timestamps carried: 6 for ns sources, 3 for µs
     * (tsDigits − 3). Digits are only dropped when they are zero, so nothing measured is lost
     * if a µs-tagged latency is not a whole number of µs.
     */
    public static BigDecimal exact(long ns, int tsDigits) {
        BigDecimal ms = BigDecimal.valueOf(ns, NS_SCALE);
        int scale = Math.max(0, Math.min(NS_SCALE, tsDigits - 3));
        try {
            return ms.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException notWhole) {
            return ms;
        }
    }

    /**
     * Appends {@link #exact}'s plain text ({@link BigDecimal#toPlainString()}) in integer
     * arithmetic, without objects: for report rows.
     */
    public static AsciiBuilder appendExact(AsciiBuilder out, long ns, int tsDigits) {
        if (ns == Long.MIN_VALUE) {
            return out.append(exact(ns, tsDigits).toPlainString()); // no positive counterpart
        }
        int scale = Math.max(0, Math.min(NS_SCALE, tsDigits - 3));
        long abs = Math.abs(ns);
        long whole = abs / NANOS_PER_MILLI;
        int fraction = (int) (abs - whole * NANOS_PER_MILLI);
        if (scale < NS_SCALE && fraction % POWERS_OF_TEN[NS_SCALE - scale] != 0) {
            scale = NS_SCALE; // as exact(): keep every digit rather than drop a non-zero one
        }
        if (ns < 0) {
            out.append('-');
        }
        out.append(whole);
        byte[] b = out.room(1 + NS_SCALE);
        int at = out.length();
        // all six decimals are written and the first `scale` kept (the rest are zeros)
        b[at] = '.';
        AsciiBuilder.putDigits(b, at + 1, fraction, NS_SCALE);
        at += scale > 0 ? 1 + scale : 0;
        out.advanceTo(at);
        return out;
    }

    /**
     * All 6 ms decimals (the ns value exactly), as {@code BigDecimal.valueOf(ns, 6)} writes
     * itself (plain: its adjusted exponent is never below -6): for summary and plot figures over
     * mixed sources, written as JSON number text. In integer arithmetic, as {@link #display}: the
     * html report wrote some 20 000 figures through BigDecimal, whose initialisation alone
     * cost 16-19 ms at the end of a run on JDK 25 (docs/performance.md, findings 27 and 33).
     */
    public static String ofNanos(long ns) {
        return appendExact(new AsciiBuilder(24), ns, 9).toString();
    }

    /**
     * Rounded to µs (3 decimals, half-even) for the text summary table: what {@code BigDecimal}'s
     * {@code setScale(3, HALF_EVEN).toPlainString()} gives, in integer arithmetic, since that
     * class's initialisation alone took 16-19 ms at the end of every text report on JDK 25
     * (docs/performance.md, finding 27).
     */
    public static String display(long ns) {
        if (ns == Long.MIN_VALUE) {
            return BigDecimal.valueOf(ns, NS_SCALE).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
        }
        long abs = Math.abs(ns);
        long micros = abs / 1_000;
        long rest = abs % 1_000;
        if (rest > 500 || (rest == 500 && (micros & 1) == 1)) {
            micros++;
        }
        String fraction = Long.toString(1_000 + micros % 1_000).substring(1); // three digits
        return (ns < 0 && micros != 0 ? "-" : "") + micros / 1_000 + "." + fraction;
    }
}
