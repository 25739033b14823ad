package dev.flat.core.report;

import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.core.match.Kind;
import dev.flat.core.match.MatcherStats;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToLongFunction;

/**
 * The human-readable closing summary: per kind, busiest servers, input figures, warnings.
 * Latencies in ms rounded to µs; docs/report-schema.md says what each column counts.
 */
public final class TextSummary {
    private static final String[] LATENCY_HEADERS = {"min ms", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms"};

    private TextSummary() {}

    public static void write(Writer out, ReportContext c) throws IOException {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("\nsummary\n");
        TextTable kinds = new TextTable().row(concat(
                new String[] {"kind", "exchanges", "unanswered", "refused", "retransmits"}, LATENCY_HEADERS));
        for (Kind k : Kind.values()) {
            KindTotals t = c.summary().kind(k);
            MatcherStats m = c.matcher();
            kinds.row(concat(new String[] {k.label(),
                    Long.toString(t.exchanges()), Long.toString(m.unanswered(k)), Long.toString(t.refused()),
                    Long.toString(m.retransmits(k))}, latency(t.latency())));
        }
        kinds.appendTo(sb, "  ");

        List<ServerTotals> top = c.summary().busiestServers(c.top());
        if (!top.isEmpty()) {
            sb.append("\nbusiest servers (").append(top.size()).append(" of ").append(c.summary().serverCount())
                    .append(")\n");
            TextTable servers = new TextTable().row(concat(
                    new String[] {"server", "kind", "exchanges", "refused"}, LATENCY_HEADERS));
            for (ServerTotals s : top) {
                servers.row(concat(new String[] {s.server().endpoint(), s.server().kind().label(),
                        Long.toString(s.exchanges()), Long.toString(s.refused())}, latency(s.latency())));
            }
            servers.appendTo(sb, "  ");
        }

        InputStats in = c.input();
        sb.append("\ninput\n");
        sb.append("  files: ").append(String.join(", ", in.files())).append('\n');
        sb.append("  packets: ").append(in.packets()).append(", events: ").append(in.events())
                .append(", filtered out: ").append(c.filteredEvents()).append('\n');
        sb.append("  skipped: ").append(skipped(in)).append('\n');
        if (!in.unsupportedLinkTypes().isEmpty()) {
            StringJoiner lt = new StringJoiner(", ");
            in.unsupportedLinkTypes().forEach((type, n) -> lt.add("link type " + type + ": " + n));
            sb.append("  unsupported link types: ").append(lt).append('\n');
        }
        sb.append("  lost events: ").append(in.lostEvents()).append('\n');
        if (in.timestampsOutOfRange() != 0) {
            sb.append("  time fields out of range (measured as read): ").append(in.timestampsOutOfRange()).append('\n');
        }
        MatcherStats m = c.matcher();
        sb.append("\nmatcher\n");
        sb.append("  requests: ").append(perKind(m::requests)).append('\n');
        sb.append("  evicted (table full): ").append(perKind(m::evicted))
                .append(", unmeasurable (response stamped before request): ").append(perKind(m::unmeasurable))
                .append('\n');
        sb.append("  unmatched responses: ").append(perKind(m::unmatchedResponses))
                .append(", unmatched resets: ").append(m.unmatchedResets()).append('\n');
        sb.append("  not selected by --kind: ").append(perKind(m::filtered))
                .append(", ignored events: ").append(m.ignoredEvents())
                .append(", not dns on port 53: ").append(m.notDns())
                .append(", out of order: ").append(m.outOfOrderEvents()).append('\n');

        List<String> warnings = c.warnings();
        if (!warnings.isEmpty()) {
            sb.append("\nwarnings\n");
            for (String w : warnings) {
                sb.append("  ").append(w).append('\n');
            }
        }
        out.write(sb.toString());
    }

    /** {@code 12 (tcp 10, dns 2)}, or {@code 0}. */
    private static String perKind(ToLongFunction<Kind> count) {
        long total = 0;
        StringJoiner j = new StringJoiner(", ", " (", ")");
        for (Kind k : Kind.values()) {
            long n = count.applyAsLong(k);
            total += n;
            if (n != 0) {
                j.add(k.label() + " " + n);
            }
        }
        return total == 0 ? "0" : total + j.toString();
    }

    private static String skipped(InputStats in) {
        Map<SkipReason, Long> by = in.skippedByReason();
        if (by.isEmpty()) {
            return "0";
        }
        StringJoiner j = new StringJoiner(", ", in.skippedTotal() + " (", ")");
        by.forEach((reason, n) -> j.add(reason.label() + ": " + n));
        return j.toString();
    }

    private static String[] latency(LatencyFigures f) {
        if (f == null) {
            return new String[] {"-", "-", "-", "-", "-", "-"};
        }
        return new String[] {Millis.display(f.minNs()), Millis.display(f.meanNs()), Millis.display(f.p50Ns()),
                Millis.display(f.p90Ns()), Millis.display(f.p99Ns()), Millis.display(f.maxNs())};
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
