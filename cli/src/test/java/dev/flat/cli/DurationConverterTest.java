package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"10s, 10000000000", "500ms, 500000000", "1.5s, 1500000000", "2m, 120000000000",
        "250us, 250000", "250µs, 250000", "100ns, 100", "0.000000001s, 1",
        "1.50000s, 1500000000", "0.5us, 500", "1.000ns, 1", "0.000000001m, 60", "999999999999ms, 999999999999000000",
        "153722867m, 9223372020000000000"})
    void convertsToNanoseconds(String text, long ns) {
        assertEquals(ns, converter.convert(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "s", "-1s", "0s", "1.5ns", "10 parsecs", "1e3ms", "9999999999999m", "",
        "0.0s", "0.0000000001m", "1.0001us", "153722868m", "999999999999s", "9223372036.854775808s"})
    void rejectsWhatIsNoPositiveWholeNanosecondDuration(String text) {
        assertThrows(TypeConversionException.class, () -> converter.convert(text));
    }
}
