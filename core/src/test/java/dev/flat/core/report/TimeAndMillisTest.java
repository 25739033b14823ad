package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void displayRoundsToMicroseconds() {
        assertEquals("1.235", Millis.display(1_234_567));
        assertEquals("0.000", Millis.display(400));
    }
}
