package dev.flat.core.report;

/**
 * Timestamps as ISO-8601 UTC text with exactly the sub-second digits the source had
 * ({@code 2024-05-01T12:00:00.123456789Z} for ns sources, {@code ...00.123456Z} for µs):
 * printing more would invent precision, printing fewer would throw measured digits away.
 *
 * <p>The calendar date comes from integer arithmetic (Howard Hinnant's {@code civil_from_days},
 * proleptic Gregorian as in {@code java.time}), so a report row's time costs no objects. A long
 * of ns spans the years 1677 to 2262: the year always has four digits.
 */
public final class TimeText {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SECONDS_PER_DAY = 86_400;
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private TimeText() {}

    /** @param digits sub-second digits to print, clamped to 0..9 */
    public static String iso(long epochNs, int digits) {
        return appendIso(new StringBuilder(30), epochNs, digits).toString();
    }

    /** Appends {@link #iso}'s text without allocating (for report rows). */
    public static StringBuilder appendIso(StringBuilder sb, long epochNs, int digits) {
        int d = Math.max(0, Math.min(9, digits));
        long seconds = Math.floorDiv(epochNs, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNs, NANOS_PER_SECOND);
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);

        // civil_from_days (https://howardhinnant.github.io/date_algorithms.html): eras of 400 years
        // starting on 1 March, so that the leap day ends a year.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        sb.append(year).append('-');
        two(sb, month).append('-');
        two(sb, day).append('T');
        two(sb, secondOfDay / 3600).append(':');
        two(sb, secondOfDay / 60 % 60).append(':');
        two(sb, secondOfDay % 60);
        if (d > 0) {
            appendFraction(sb, nanos, 9, d);
        }
        return sb.append('Z');
    }

    /**
     * Appends '.' and the first {@code count} of the {@code width} zero-padded decimal digits of
     * {@code value} (0 ≤ value &lt; 10^width): {@code 10^width + value} printed at once by
     * {@link StringBuilder#append(long)}, its leading 1 turned into the point, the tail cut.
     */
    static void appendFraction(StringBuilder sb, long value, int width, int count) {
        int point = sb.length();
        sb.append(POWERS_OF_TEN[width] + value).setCharAt(point, '.');
        sb.setLength(point + 1 + count);
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
