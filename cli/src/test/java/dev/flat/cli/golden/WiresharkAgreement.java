package dev.flat.cli.golden;

import dev.flat.cli.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One capture's tcp, dns and icmp exchanges as Wireshark pairs them ({@link WiresharkExchanges})
 * against those {@code flat analyze} reports. An exchange matches only when every compared field
 * is equal (endpoints, DNS id or ICMP id/sequence, request time and latency to the nanosecond,
 * retransmits, outcome, TTL); a match is counted once per occurrence (a multiset intersection).
 *
 * <p>Each miss (Wireshark's, not flat's) is either explained by a {@link DeliberateDifference}
 * or unexplained; each extra (flat's, not Wireshark's) is unexplained: flat reporting something
 * Wireshark does not pair is never deliberate.
 */
final class WiresharkAgreement {
    static final Set<String> COMPARED_KINDS = Set.of("tcp", "dns", "icmp");

    final Path capture;
    final int expected;
    final int reported;
    final int matching;
    final Map<DeliberateDifference, Integer> explainedMisses = new EnumMap<>(DeliberateDifference.class);
    final List<MeasuredExchange> unexplainedMisses = new ArrayList<>();
    final List<MeasuredExchange> extras = new ArrayList<>();
    /** Why tshark or flat stopped reading early, or "" (the table's note column). */
    final String note;

    private WiresharkAgreement(Path capture, WiresharkExchanges wireshark, FlatRun flat,
                               List<MeasuredExchange> flatExchanges) {
        this.capture = capture;
        this.expected = wireshark.exchanges().size();
        this.reported = flatExchanges.size();
        Map<MeasuredExchange, Integer> unmatched = new HashMap<>();
        for (MeasuredExchange x : flatExchanges) {
            unmatched.merge(x, 1, Integer::sum);
        }
        int matched = 0;
        for (WiresharkExchanges.Seen s : wireshark.exchanges()) {
            if (take(unmatched, s.exchange())) {
                matched++;
                continue;
            }
            DeliberateDifference d = DeliberateDifference.explaining(s);
            if (d != null) {
                explainedMisses.merge(d, 1, Integer::sum);
            } else {
                unexplainedMisses.add(s.exchange());
            }
        }
        unmatched.forEach((x, n) -> {
            for (int i = 0; i < n; i++) {
                extras.add(x);
            }
        });
        extras.sort(MeasuredExchange.ORDER);
        this.matching = matched;
        this.note = note(wireshark, flat);
    }

    /** Runs tshark and {@code flat analyze --format json} on the capture and compares them. */
    static WiresharkAgreement of(Path capture) {
        WiresharkExchanges wireshark = WiresharkExchanges.read(capture);
        FlatRun flat = FlatRun.of("analyze", "--no-progress", "--color", "never", "--format", "json",
                capture.toString());
        // A file flat rejects (an input error before any output) reports nothing: every exchange
        // Wireshark found in it is then a miss, and must be explained like any other. Any other
        // failure is flat's own and fails at once.
        if (flat.exitCode() != ExitCode.OK && flat.exitCode() != ExitCode.INPUT) {
            throw new AssertionError("flat analyze " + capture + " exited " + flat.exitCode() + ": " + flat.err());
        }
        List<MeasuredExchange> flatExchanges = flat.out().isEmpty() ? List.of()
                : FlatJsonReport.exchanges(flat.out()).stream()
                        .filter(x -> COMPARED_KINDS.contains(x.kind()))
                        .sorted(MeasuredExchange.ORDER)
                        .toList();
        return new WiresharkAgreement(capture, wireshark, flat, flatExchanges);
    }

    boolean agrees() { return unexplainedMisses.isEmpty() && extras.isEmpty(); }

    int explainedMissCount() {
        return explainedMisses.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** What went wrong, as a readable list: one exchange per line. */
    String disagreement() {
        StringBuilder b = new StringBuilder("flat and Wireshark disagree on " + capture + " (" + note + ")");
        unexplainedMisses.forEach(x -> b.append("\n  only Wireshark: ").append(x));
        extras.forEach(x -> b.append("\n  only flat:      ").append(x));
        return b.toString();
    }

    /** Removes one occurrence of x from the multiset; false when there is none. */
    private static boolean take(Map<MeasuredExchange, Integer> multiset, MeasuredExchange x) {
        Integer n = multiset.get(x);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            multiset.remove(x);
        } else {
            multiset.put(x, n - 1);
        }
        return true;
    }

    private static String note(WiresharkExchanges wireshark, FlatRun flat) {
        List<String> notes = new ArrayList<>();
        if (wireshark.readError() != null) {
            notes.add(wireshark.readError()); // starts "tshark: "
        }
        // flat's first line of stderr: its error or warning, which names the file and offset.
        flat.err().lines().findFirst().ifPresent(line -> notes.add(line));
        return String.join("; ", notes);
    }
}
