package dev.flat.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code 10s}, {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 250us}, {@code 100ns} to
 * nanoseconds. A unit is required: a bare number would leave the reader guessing.
 *
 * <p>Exact decimal arithmetic in longs: a unit is c × 10^k ns (c 1, or 6 for minutes), so the
 * number times 10^k is whole when its fraction has no more significant digits than k. Not
 * {@code BigDecimal}, whose class initialisation alone took 16-19 ms of every start on JDK 25
 * (docs/performance.md, finding 27).
 */
public final class DurationConverter implements ITypeConverter<Long> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(?:\\.(\\d{1,9}))?(ns|us|µs|ms|s|m)");
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
        10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L};

    @Override
    public Long convert(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + text + "' is not a duration; use a number and a unit: ns, us, ms, s or m (e.g. 10s, 500ms)");
        }
        // The unit as c × 10^k ns.
        int c = m.group(3).equals("m") ? 6 : 1;
        int k = switch (m.group(3)) {
            case "ns" -> 0;
            case "us", "µs" -> 3;
            case "ms" -> 6;
            case "s" -> 9;
            default -> 10;
        };
        String fraction = m.group(2) == null ? "" : m.group(2).replaceFirst("0+$", "");
        if (fraction.length() > k) {
            throw new TypeConversionException("'" + text + "' is finer than a nanosecond");
        }
        long ns;
        try {
            long scaled = Math.multiplyExact(Long.parseLong(m.group(1)), POWERS_OF_TEN[k]);
            if (!fraction.isEmpty()) {
                scaled = Math.addExact(scaled, Long.parseLong(fraction) * POWERS_OF_TEN[k - fraction.length()]);
            }
            ns = Math.multiplyExact(scaled, c);
        } catch (ArithmeticException overflow) {
            ns = -1;
        }
        if (ns <= 0) {
            throw new TypeConversionException("'" + text + "' must be positive and below 292 years");
        }
        return ns;
    }
}
