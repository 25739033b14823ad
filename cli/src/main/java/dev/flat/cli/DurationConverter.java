package dev.flat.cli;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code 10s}, {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 250us}, {@code 100ns} to
 * nanoseconds. A unit is required: a bare number would leave the reader guessing.
 */
public final class DurationConverter implements ITypeConverter<Long> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ns|us|µs|ms|s|m)");

    @Override
    public Long convert(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + text + "' is not a duration; use a number and a unit: ns, us, ms, s or m (e.g. 10s, 500ms)");
        }
        long unitNs = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            default -> 60_000_000_000L;
        };
        BigDecimal ns = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNs));
        if (ns.signum() <= 0 || ns.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new TypeConversionException("'" + text + "' must be positive and below 292 years");
        }
        if (ns.stripTrailingZeros().scale() > 0) {
            throw new TypeConversionException("'" + text + "' is finer than a nanosecond");
        }
        return ns.longValueExact();
    }
}
