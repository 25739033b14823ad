package dev.flat.core.report;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps as ISO-8601 UTC text with exactly the sub-second digits the source had
 * ({@code 2024-05-01T12:00:00.123456789Z} for ns sources, {@code ...00.123456Z} for µs):
 * printing more would invent precision, printing fewer would throw measured digits away.
 */
public final class TimeText {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TimeText() {}

    /** @param digits sub-second digits to print, clamped to 0..9 */
    public static String iso(long epochNs, int digits) {
        int d = Math.max(0, Math.min(9, digits));
        long seconds = Math.floorDiv(epochNs, NANOS_PER_SECOND);
        long nanos = Math.floorMod(epochNs, NANOS_PER_SECOND);
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(32);
        int year = t.getYear();
        for (int w = 1000; w > 1 && year >= 0 && year < w; w /= 10) {
            sb.append('0'); // ISO-8601 wants four year digits
        }
        sb.append(year).append('-');
        two(sb, t.getMonthValue()).append('-');
        two(sb, t.getDayOfMonth()).append('T');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        if (d > 0) {
            String frac = Long.toString(nanos + NANOS_PER_SECOND).substring(1); // 9 digits, zero-padded
            sb.append('.').append(frac, 0, d);
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return (v < 10 ? sb.append('0') : sb).append(v);
    }
}
