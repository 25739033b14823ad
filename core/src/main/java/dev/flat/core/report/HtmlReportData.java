package dev.flat.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import dev.flat.core.match.Kind;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The html page's data, one JSON document inside {@code <script type="application/json">}
 * (docs/report-schema.md lists every field). The "summary" and "input" objects are the json
 * format's own ({@link JsonFields}), so the page shows exactly the json report's figures; the
 * rest is what the plots need, aggregated here so that the page does no statistics.
 */
final class HtmlReportData {
    /** Percentile curve: points per halving of the distance to 100 % (HdrHistogram's plotter's tick). */
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;
    /** Histogram bars: logarithmic bins, this many per factor of ten. */
    static final int BINS_PER_DECADE = 10;

    private HtmlReportData() {}

    static void write(Writer out, ReportContext c, Timeline timeline, ExchangeSample sample, String uplotVersion)
            throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setCharacterEscapes(new ScriptSafe());
        g.writeStartObject();
        g.writeObjectFieldStart("report");
        g.writeStringField("uplot_version", uplotVersion);
        g.writeNumberField("exchange_limit", sample.limit());
        g.writeNumberField("exchanges_total", sample.total());
        g.writeNumberField("exchanges_shown", sample.kept());
        g.writeNumberField("server_timeline_limit", ServerTimelines.MAX_SERVERS);
        g.writeEndObject();
        List<ServerTotals> busiest = c.summary().busiestServers(c.top());
        TimeAxis axis = timeline.axis();
        axis(g, axis);
        g.writeObjectFieldStart("timeline");
        KindSeries[] series = kindSeries(timeline, axis);
        g.writeFieldName("all");
        series[Kind.values().length].write(g);
        for (Kind k : Kind.values()) {
            g.writeFieldName(k.label());
            series[k.ordinal()].write(g);
        }
        g.writeEndObject();
        g.writeObjectFieldStart("distribution");
        // Each kind's histogram is the sum of its servers' buckets: merged once here, for the
        // kind and for all kinds together.
        Kind[] kinds = Kind.values();
        Histogram[] byKind = new Histogram[kinds.length];
        LatencyFigures[] figures = new LatencyFigures[kinds.length];
        Histogram all = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        long allMin = Long.MAX_VALUE;
        long allMax = Long.MIN_VALUE;
        for (Kind k : kinds) {
            byKind[k.ordinal()] = c.summary().histogram(k);
            all.add(byKind[k.ordinal()]);
            LatencyFigures f = figures[k.ordinal()] = c.summary().kind(k).latency();
            if (f != null) {
                allMin = Math.min(allMin, f.minNs());
                allMax = Math.max(allMax, f.maxNs());
            }
        }
        g.writeFieldName("all");
        distribution(g, all, allMin, allMax);
        for (Kind k : kinds) {
            g.writeFieldName(k.label());
            LatencyFigures f = figures[k.ordinal()];
            distribution(g, byKind[k.ordinal()], f == null ? 0 : f.minNs(), f == null ? 0 : f.maxNs());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("servers");
        for (ServerTotals s : busiest) {
            g.writeStartObject();
            g.writeStringField("kind", s.server().kind().label());
            g.writeStringField("endpoint", s.server().endpoint());
            g.writeFieldName("timeline");
            serverSeries(g, timeline, axis, s.server());
            g.writeFieldName("distribution");
            distribution(g, c.summary().histogram(s.server()), s.latency().minNs(), s.latency().maxNs());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("exchanges");
        g.writeRawValue("[");
        g.flush();
        sample.writeRowsTo(out);
        g.writeRaw(']');
        JsonFields.summaryAndInput(g, c);
        g.writeEndObject();
        g.flush();
    }

    /** {@code "axis":{"start_s":..,"width_s":..,"points":n,"group":8}}; points 0 when nothing was placed. */
    private static void axis(JsonGenerator g, TimeAxis axis) throws IOException {
        g.writeObjectFieldStart("axis");
        if (axis.isEmpty()) {
            g.writeNullField("start_s");
        } else {
            g.writeNumberField("start_s", axis.startNs(axis.firstPoint()) / 1e9);
        }
        g.writeNumberField("width_s", axis.widthNs() / 1e9);
        g.writeNumberField("points", axis.isEmpty() ? 0 : axis.lastPoint() - axis.firstPoint() + 1);
        if (axis.isEmpty()) {
            g.writeNullField("server_start_s");
        } else {
            g.writeNumberField("server_start_s", axis.startNs(firstGroup(axis) * TimeAxis.GROUP) / 1e9);
        }
        g.writeNumberField("server_width_s", axis.widthNs() * TimeAxis.GROUP / 1e9);
        g.writeNumberField("server_points", axis.isEmpty() ? 0 : lastGroup(axis) - firstGroup(axis) + 1);
        g.writeEndObject();
    }

    private static int firstGroup(TimeAxis axis) { return axis.firstPoint() / TimeAxis.GROUP; }

    private static int lastGroup(TimeAxis axis) { return axis.lastPoint() / TimeAxis.GROUP; }

    /**
     * Every kind's points (index: the kind's ordinal) and all kinds' points added together (the
     * last): counts summed, percentiles of the merged buckets. A point's bucket table is merged
     * once per kind and the kinds' merged counts are added for all kinds, rather than every table
     * merged twice (docs/performance.md, finding 33).
     */
    private static KindSeries[] kindSeries(Timeline timeline, TimeAxis axis) {
        int from = axis.isEmpty() ? 0 : axis.firstPoint();
        int to = axis.isEmpty() ? -1 : axis.lastPoint();
        int n = to - from + 1;
        Kind[] kinds = Kind.values();
        KindSeries[] series = new KindSeries[kinds.length + 1];
        BucketPercentiles[] byKind = new BucketPercentiles[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            series[k] = new KindSeries(n);
            byKind[k] = new BucketPercentiles();
        }
        KindSeries all = series[kinds.length] = new KindSeries(n);
        BucketPercentiles allBuckets = new BucketPercentiles();
        for (int i = 0; i < n; i++) {
            int point = from + i;
            allBuckets.reset();
            for (Kind k : kinds) {
                KindTimeline t = timeline.kind(k);
                BucketPercentiles h = byKind[k.ordinal()];
                h.reset();
                if (t.buckets(point) != null) {
                    h.add(t.buckets(point));
                }
                series[k.ordinal()].set(i, t.count(point), t.minNs(point), t.maxNs(point), h,
                        t.refused(point), t.retransmitted(point), t.unanswered(point));
                allBuckets.add(h);
            }
            long count = 0, min = Long.MAX_VALUE, max = Long.MIN_VALUE, refused = 0, retransmitted = 0, unanswered = 0;
            for (int k = 0; k < kinds.length; k++) {
                KindSeries s = series[k];
                count += s.count[i];
                min = Math.min(min, s.min[i]);
                max = Math.max(max, s.max[i]);
                refused += s.refused[i];
                retransmitted += s.retransmitted[i];
                unanswered += s.unanswered[i];
            }
            all.set(i, count, min, max, allBuckets, refused, retransmitted, unanswered);
        }
        return series;
    }

    /** One series of the timeline: per point, its counts and latency figures. */
    private static final class KindSeries {
        final long[] count, min, p50, p99, max, refused, retransmitted, unanswered;

        KindSeries(int n) {
            count = new long[n];
            min = new long[n];
            p50 = new long[n];
            p99 = new long[n];
            max = new long[n];
            refused = new long[n];
            retransmitted = new long[n];
            unanswered = new long[n];
        }

        void set(int i, long count, long minNs, long maxNs, BucketPercentiles buckets, long refused,
                 long retransmitted, long unanswered) {
            this.count[i] = count;
            min[i] = minNs;
            max[i] = maxNs;
            if (count > 0) {
                // clamped as in LatencyStats: a percentile never lies outside what was measured
                long[] p = buckets.valuesAtPercentiles(50, 99);
                p50[i] = Math.max(minNs, Math.min(maxNs, p[0]));
                p99[i] = Math.max(minNs, Math.min(maxNs, p[1]));
            }
            this.refused[i] = refused;
            this.retransmitted[i] = retransmitted;
            this.unanswered[i] = unanswered;
        }

        void write(JsonGenerator g) throws IOException {
            g.writeStartObject();
            counts(g, "count", count);
            millis(g, "min_ms", min, count);
            millis(g, "p50_ms", p50, count);
            millis(g, "p99_ms", p99, count);
            millis(g, "max_ms", max, count);
            counts(g, "refused", refused);
            counts(g, "retransmitted", retransmitted);
            counts(g, "unanswered", unanswered);
            g.writeEndObject();
        }
    }

    /** A busiest server's coarse points, or null when it arrived after the first {@link ServerTimelines#MAX_SERVERS}. */
    private static void serverSeries(JsonGenerator g, Timeline timeline, TimeAxis axis, ServerKey server)
            throws IOException {
        ServerTimelines s = timeline.servers();
        int slot = s.find(server);
        if (slot == ServerTable.FULL || axis.isEmpty()) {
            g.writeNull();
            return;
        }
        int from = firstGroup(axis);
        int n = lastGroup(axis) - from + 1;
        long[] count = new long[n];
        long[] min = new long[n];
        long[] mean = new long[n];
        long[] max = new long[n];
        long[] refused = new long[n];
        long[] retransmitted = new long[n];
        long[] unanswered = new long[n];
        for (int i = 0; i < n; i++) {
            int p = from + i;
            count[i] = s.count(slot, p);
            min[i] = s.minNs(slot, p);
            max[i] = s.maxNs(slot, p);
            mean[i] = count[i] == 0 ? 0 : Math.max(min[i], Math.min(max[i], Math.round((double) s.sumNs(slot, p) / count[i])));
            refused[i] = s.refused(slot, p);
            retransmitted[i] = s.retransmitted(slot, p);
            unanswered[i] = s.unanswered(slot, p);
        }
        g.writeStartObject();
        counts(g, "count", count);
        millis(g, "min_ms", min, count);
        millis(g, "mean_ms", mean, count);
        millis(g, "max_ms", max, count);
        counts(g, "refused", refused);
        counts(g, "retransmitted", retransmitted);
        counts(g, "unanswered", unanswered);
        g.writeEndObject();
    }

    /**
     * {@code {"percentile":[...],"ms":[...],"bin_ms":[...],"bin_count":[...]}}: the percentile
     * curve (percentiles below 100, as HdrHistogram's own percentile output and plotter have it)
     * and the counts per logarithmic bin ({@link #BINS_PER_DECADE} per factor of ten; bin i holds
     * latencies from 10^(i/10) ns up to the next bin's start). Values are the histogram's, within
     * 0.1 %, clamped to the exact min and max (the summary's) as every percentile of the report is.
     */
    private static void distribution(JsonGenerator g, Histogram h, long min, long max) throws IOException {
        g.writeStartObject();
        long total = h.getTotalCount();
        // One walk of the histogram for both arrays: each walk is thousands of steps, run at the
        // end of a run in code not yet compiled.
        double[] levels = new double[64];
        long[] values = new long[64];
        int n = 0;
        if (total > 0) {
            for (HistogramIterationValue v : h.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE)) {
                if (v.getPercentileLevelIteratedTo() >= 100) {
                    break;
                }
                if (n == levels.length) {
                    levels = Arrays.copyOf(levels, 2 * n);
                    values = Arrays.copyOf(values, 2 * n);
                }
                levels[n] = v.getPercentileLevelIteratedTo();
                values[n++] = v.getValueIteratedTo();
            }
        }
        g.writeArrayFieldStart("percentile");
        for (int i = 0; i < n; i++) {
            g.writeNumber(levels[i]);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("ms");
        for (int i = 0; i < n; i++) {
            // the 0th percentile is the min by definition; the iterator gives its bucket's top
            long ns = levels[i] == 0 ? min : values[i];
            g.writeNumber(Millis.ofNanos(Math.max(min, Math.min(max, ns))));
        }
        g.writeEndArray();
        int firstBin = total == 0 ? 0 : bin(min);
        int lastBin = total == 0 ? -1 : bin(max);
        long[] bins = new long[lastBin - firstBin + 1];
        if (total > 0) {
            for (HistogramIterationValue v : h.recordedValues()) {
                bins[bin(Math.max(min, Math.min(max, v.getValueIteratedTo()))) - firstBin] += v.getCountAtValueIteratedTo();
            }
        }
        g.writeArrayFieldStart("bin_ms");
        for (int b = firstBin; b <= lastBin; b++) {
            g.writeNumber(Math.pow(10, (double) b / BINS_PER_DECADE) / 1e6);
        }
        g.writeEndArray();
        counts(g, "bin_count", bins);
        g.writeEndObject();
    }

    /** The logarithmic bin of a latency (0 ns shares bin 0 with 1 ns). */
    static int bin(long ns) {
        return (int) Math.floor(Math.log10(Math.max(1, ns)) * BINS_PER_DECADE + 1e-9);
    }

    private static void counts(JsonGenerator g, String name, long[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (long v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    /** Latencies in ms, exact; null where the point has no exchange. */
    private static void millis(JsonGenerator g, String name, long[] ns, long[] count) throws IOException {
        g.writeArrayFieldStart(name);
        for (int i = 0; i < ns.length; i++) {
            if (count[i] == 0) {
                g.writeNull();
            } else {
                g.writeNumber(Millis.ofNanos(ns[i]));
            }
        }
        g.writeEndArray();
    }

    /**
     * JSON inside an HTML script element: {@code <} is written as {@code \u003c}, so no string
     * (a file name, a warning) can close the element or open a comment; {@code >} and {@code &}
     * likewise, and U+2028/U+2029, which older script parsers took for line ends.
     */
    private static final class ScriptSafe extends CharacterEscapes {
        private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

        ScriptSafe() {
            escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() { return escapes; }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 || ch == 0x2029
                    ? new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
