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
    static final String TESTDATA = "../testdata/";
    static final String LAB = TESTDATA + "lab/";
    private static final boolean REGENERATE = Boolean.getBoolean("flat.regenerateGolden");
    private static final int CONTEXT_CHARS = 100;

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "lab/lab.pcapng, json, lab/lab.pcapng.json",
        "lab/lab.pcapng, csv,  lab/lab.pcapng.csv",
        "lab/lab.pcap,   json, lab/lab.pcap.json",
        "lab/lab.pcap,   csv,  lab/lab.pcap.csv",
        // The gzip of lab.pcap must read exactly like lab.pcap; csv has no file name in it, so the
        // same golden file serves both.
        "lab/lab.pcap.gz, csv, lab/lab.pcap.csv",
        // The matching cases of docs/matching.md (testdata/match/record-match.sh).
        "match/match.pcap, json, match/match.pcap.json",
        "match/match.pcap, csv,  match/match.pcap.csv",
    })
    void reportMatchesGoldenFile(String capture, String format, String golden) throws IOException {
        String actual = FlatRun.analyze(format, TESTDATA + capture);
        Path goldenFile = Path.of(TESTDATA, golden);
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
