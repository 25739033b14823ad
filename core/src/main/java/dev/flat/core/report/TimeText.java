package dev.flat.core.report;

/**
 * Timestamps as ISO-8601 UTC text with exactly the sub-second digits the source had
 * ({@code 2024-05-01T12:00:00.123456789Z} for ns sources, {@code ...00.123456Z} for µs):
 * printing more would invent precision, printing fewer would throw measured digits away.
 *
 * <p>The calendar date comes from integer arithmetic (Howard Hinnant's {@code civil_from_days},
 * proleptic Gregorian as in {@code java.time}), so a report row's time costs no objects. A long
 * of ns spans the years 1677 to 2262: the year always has four digits.
 *
 * <p>An instance is a formatter that keeps the text of the last second it formatted: the
 * exchanges of a capture arrive in time order, many per second, so most rows copy those 19
 * bytes and write only the fraction. The cache is per instance, not static, because writers on
 * different threads format at the same time; an instance itself is not thread-safe.
 */
public final class TimeText {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SECONDS_PER_DAY = 86_400;
    /** {@code YYYY-MM-DDTHH:MM:SS}. */
    private static final int SECOND_TEXT_LENGTH = 19;
    private static final int TIME_OF_DAY_AT = 11;
    /** Whole seconds, '.', up to 9 digits, 'Z'. */
    private static final int MAX_LENGTH = SECOND_TEXT_LENGTH + 1 + 9 + 1;

    private final byte[] secondText = new byte[SECOND_TEXT_LENGTH];
    // floorDiv(Long.MIN_VALUE ns, 1 s) is about -9.2e9 s, so no timestamp maps to these sentinels.
    private long cachedSecond = Long.MIN_VALUE;
    private long cachedDay = Long.MIN_VALUE;

    /** @param digits sub-second digits to print, clamped to 0..9 */
    public static String iso(long epochNs, int digits) {
        return new TimeText().appendIso(new AsciiBuilder(MAX_LENGTH), epochNs, digits).toString();
    }

    /** Appends {@link #iso}'s text (for report rows). */
    public AsciiBuilder appendIso(AsciiBuilder out, long epochNs, int digits) {
        int d = Math.max(0, Math.min(9, digits));
        long second = epochNs / NANOS_PER_SECOND; // one division; floorDiv and floorMod would be two
        int nanos = (int) (epochNs - second * NANOS_PER_SECOND);
        if (nanos < 0) { // before 1970: the second is floored, the fraction counts up from it
            second--;
            nanos += (int) NANOS_PER_SECOND;
        }
        if (second != cachedSecond) {
            formatSecond(second);
        }
        byte[] b = out.room(MAX_LENGTH);
        int at = out.length();
        System.arraycopy(secondText, 0, b, at, SECOND_TEXT_LENGTH);
        at += SECOND_TEXT_LENGTH;
        // all nine digits are written and the first d kept: a constant width, no division by 10^(9-d)
        b[at] = '.';
        AsciiBuilder.putDigits(b, at + 1, nanos, 9);
        at += d > 0 ? 1 + d : 0;
        b[at++] = 'Z';
        out.advanceTo(at);
        return out;
    }

    private void formatSecond(long second) {
        long day = Math.floorDiv(second, SECONDS_PER_DAY);
        if (day != cachedDay) {
            formatDate(day);
        }
        int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        byte[] t = secondText;
        AsciiBuilder.putDigits(t, TIME_OF_DAY_AT, secondOfDay / 3600, 2);
        t[TIME_OF_DAY_AT + 2] = ':';
        AsciiBuilder.putDigits(t, TIME_OF_DAY_AT + 3, secondOfDay / 60 % 60, 2);
        t[TIME_OF_DAY_AT + 5] = ':';
        AsciiBuilder.putDigits(t, TIME_OF_DAY_AT + 6, secondOfDay % 60, 2);
        cachedSecond = second;
    }

    /** {@code YYYY-MM-DDT} of a day counted from 1970-01-01. */
    private void formatDate(long days) {
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

        byte[] t = secondText;
        AsciiBuilder.putDigits(t, 0, year, 4);
        t[4] = '-';
        AsciiBuilder.putDigits(t, 5, month, 2);
        t[7] = '-';
        AsciiBuilder.putDigits(t, 8, day, 2);
        t[10] = 'T';
        cachedDay = days;
    }
}
