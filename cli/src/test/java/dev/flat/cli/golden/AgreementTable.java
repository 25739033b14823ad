package dev.flat.cli.golden;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The Wireshark agreement of many captures as a text table, with overall recall and precision. */
final class AgreementTable {
    private static final String ROW = "%-52s %8s %8s %8s %9s %11s %5s  %s%n";

    private AgreementTable() {}

    static String of(Collection<WiresharkAgreement> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(ROW, "capture", "expected", "reported", "matching", "explained", "unexplained",
                "extra", "note"));
        int expected = 0;
        int reported = 0;
        int matching = 0;
        int unexplained = 0;
        int extra = 0;
        Map<DeliberateDifference, Integer> explained = new EnumMap<>(DeliberateDifference.class);
        for (WiresharkAgreement a : results) {
            b.append(String.format(ROW, a.capture.getFileName(), a.expected, a.reported, a.matching,
                    a.explainedMissCount(), a.unexplainedMisses.size(), a.extras.size(), a.note));
            expected += a.expected;
            reported += a.reported;
            matching += a.matching;
            unexplained += a.unexplainedMisses.size();
            extra += a.extras.size();
            a.explainedMisses.forEach((d, n) -> explained.merge(d, n, Integer::sum));
        }
        int explainedTotal = explained.values().stream().mapToInt(Integer::intValue).sum();
        b.append(String.format(ROW, "all " + results.size() + " captures", expected, reported, matching,
                explainedTotal, unexplained, extra, ""));
        b.append(String.format(Locale.ROOT, "recall %s (matching / expected), precision %s (matching / reported)%n",
                ratio(matching, expected), ratio(matching, reported)));
        explained.forEach((d, n) -> b.append(String.format("explained %-20s %5d  %s%n", d, n, d.reason())));
        return b.toString();
    }

    /** Three decimals, rounded down so that 0.9996 never shows as a target-meeting 1.000. */
    private static String ratio(int part, int whole) {
        if (whole == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f", Math.floor(1000.0 * part / whole) / 1000);
    }
}
