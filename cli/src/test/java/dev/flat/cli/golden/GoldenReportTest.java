package dev.flat.cli.golden;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lab captures in, flat's reports out, compared byte for byte with the golden files next to
 * the captures (testdata/lab/*.json, *.csv; docs/testdata.md says what they must contain and how
 * they were checked by hand).
 *
 * <p>A deliberate change of the report rewrites them: {@code mvn -q -o -pl cli -am test
 * -Dtest=GoldenReportTest -Dsurefire.failIfNoSpecifiedTests=false -Dflat.regenerateGolden=true},
 * then review the diff before committing it.
 */
class GoldenReportTest {
    /** Paths as the test passes them to flat: relative to the cli module, where surefire runs. */
    static final String LAB = "../testdata/lab/";
    private static final boolean REGENERATE = Boolean.getBoolean("flat.regenerateGolden");
    private static final int CONTEXT_CHARS = 100;

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "lab.pcapng, json, lab.pcapng.json",
        "lab.pcapng, csv,  lab.pcapng.csv",
        "lab.pcap,   json, lab.pcap.json",
        "lab.pcap,   csv,  lab.pcap.csv",
        // The gzip of lab.pcap must read exactly like lab.pcap; csv has no file name in it, so the
        // same golden file serves both.
        "lab.pcap.gz, csv, lab.pcap.csv",
    })
    void reportMatchesGoldenFile(String capture, String format, String golden) throws IOException {
        String actual = FlatRun.analyze(format, LAB + capture);
        Path goldenFile = Path.of(LAB, golden);
        if (REGENERATE && !capture.endsWith(".gz")) {
            Files.writeString(goldenFile, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(goldenFile, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("flat analyze --format " + format + " " + capture + " differs from " + goldenFile + " "
                    + firstDifference(expected, actual));
        }
    }

    /** Where two texts part, with some context: a JSON report is one long line. */
    static String firstDifference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - CONTEXT_CHARS);
        return "at character " + i + ":\n  golden: ..." + excerpt(expected, from, i) + "\n  actual: ..."
                + excerpt(actual, from, i);
    }

    private static String excerpt(String s, int from, int at) {
        return s.substring(Math.min(from, s.length()), Math.min(s.length(), at + CONTEXT_CHARS)).replace("\n", "\\n")
                + (at >= s.length() ? " <end>" : "...");
    }
}
