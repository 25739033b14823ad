package dev.flat.core.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.MatcherStats;
import java.io.IOException;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The JSON objects shared by the json and jsonl formats (docs/report-schema.md documents each
 * field). Latencies are JSON numbers written from BigDecimal, so {@code 1.234567} in the file is
 * exactly the measured value, not a double's nearest neighbour.
 */
final class JsonFields {
    private JsonFields() {}

    /**
     * One exchange object. {@code text} is scratch space for the values formatted without
     * allocation (times, addresses, the latency), handed to the generator as characters; the
     * latency's text is {@link Millis#exact}'s plain form, which is what
     * {@code writeNumber(BigDecimal)} would write (its scale is at most 6, so
     * {@link java.math.BigDecimal#toString()} never switches to an exponent).
     */
    static void exchange(JsonGenerator g, Exchange e, LongFunction<String> interfaceLabels, Scratch text)
            throws IOException {
        g.writeStartObject();
        g.writeFieldName("time");
        text.writeString(g, ExchangeFields.appendTime(text.reset(), text.times, e));
        g.writeStringField("kind", e.kind.label());
        g.writeStringField("outcome", e.outcome.label());
        g.writeFieldName("client");
        text.writeString(g, ExchangeFields.appendClient(text.reset(), e));
        writePort(g, "client_port", e, e.clientPort);
        g.writeFieldName("server");
        text.writeString(g, ExchangeFields.appendServer(text.reset(), e));
        writePort(g, "server_port", e, e.serverPort);
        g.writeFieldName("latency_ms");
        text.writeNumber(g, ExchangeFields.appendLatencyMs(text.reset(), e));
        g.writeNumberField("retransmits", e.retransmits);
        g.writeNumberField("ttl", e.responseTtl);
        g.writeStringField("direction", ExchangeFields.direction(e.direction));
        g.writeStringField("interface", interfaceLabels.apply(e.ifindex));
        if (e.kind == Kind.DNS) {
            g.writeNumberField("dns_id", e.dnsId);
        } else if (e.kind == Kind.ICMP) {
            g.writeNumberField("icmp_id", e.icmpId);
            g.writeNumberField("icmp_seq", e.icmpSeq);
        }
        g.writeEndObject();
    }

    /**
     * A reused builder and time formatter: formatted values reach the generator as the builder's
     * widened chars, without a String. One per writer (the time formatter caches a second).
     */
    static final class Scratch {
        private final AsciiBuilder text = new AsciiBuilder(64);
        final TimeText times = new TimeText();

        AsciiBuilder reset() {
            return text.reset();
        }

        void writeString(JsonGenerator g, AsciiBuilder value) throws IOException {
            g.writeString(value.widened(), 0, value.length());
        }

        void writeNumber(JsonGenerator g, AsciiBuilder value) throws IOException {
            g.writeNumber(value.widened(), 0, value.length());
        }
    }

    private static void writePort(JsonGenerator g, String name, Exchange e, int port) throws IOException {
        if (ExchangeFields.hasPorts(e)) {
            g.writeNumberField(name, port);
        } else {
            g.writeNullField(name);
        }
    }

    /** {@code "summary":{...},"input":{...}} as two fields of the enclosing object. */
    static void summaryAndInput(JsonGenerator g, ReportContext c) throws IOException {
        g.writeFieldName("summary");
        summary(g, c);
        g.writeFieldName("input");
        input(g, c);
    }

    private static void summary(JsonGenerator g, ReportContext c) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("kinds");
        for (Kind k : Kind.values()) {
            KindTotals t = c.summary().kind(k);
            MatcherStats m = c.matcher();
            g.writeObjectFieldStart(k.label());
            g.writeNumberField("exchanges", t.exchanges());
            g.writeNumberField("answered", t.answered());
            g.writeNumberField("refused", t.refused());
            g.writeNumberField("requests", m.requests(k));
            g.writeNumberField("unanswered", m.unanswered(k));
            g.writeNumberField("retransmits", m.retransmits(k));
            g.writeNumberField("evicted", m.evicted(k));
            g.writeNumberField("unmeasurable", m.unmeasurable(k));
            g.writeNumberField("unmatched_responses", m.unmatchedResponses(k));
            g.writeNumberField("not_selected", m.filtered(k));
            latency(g, t.latency());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("servers");
        for (ServerTotals s : c.summary().busiestServers(c.top())) {
            g.writeStartObject();
            g.writeStringField("kind", s.server().kind().label());
            g.writeStringField("address", s.server().address());
            if (s.server().kind() == Kind.ICMP) {
                g.writeNullField("port");
            } else {
                g.writeNumberField("port", s.server().port());
            }
            g.writeNumberField("exchanges", s.exchanges());
            g.writeNumberField("refused", s.refused());
            latency(g, s.latency());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("server_count", c.summary().serverCount());
        g.writeObjectFieldStart("matcher");
        g.writeNumberField("not_dns", c.matcher().notDns());
        g.writeNumberField("unmatched_resets", c.matcher().unmatchedResets());
        g.writeNumberField("ignored_events", c.matcher().ignoredEvents());
        g.writeNumberField("out_of_order_events", c.matcher().outOfOrderEvents());
        g.writeNumberField("pending", c.matcher().pending());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void latency(JsonGenerator g, LatencyFigures f) throws IOException {
        if (f == null) {
            g.writeNullField("latency_ms");
            return;
        }
        g.writeObjectFieldStart("latency_ms");
        ms(g, "min", f.minNs());
        ms(g, "mean", f.meanNs());
        ms(g, "p50", f.p50Ns());
        ms(g, "p90", f.p90Ns());
        ms(g, "p99", f.p99Ns());
        ms(g, "max", f.maxNs());
        g.writeEndObject();
    }

    private static void ms(JsonGenerator g, String name, long ns) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(Millis.ofNanos(ns));
    }

    private static void input(JsonGenerator g, ReportContext c) throws IOException {
        InputStats in = c.input();
        g.writeStartObject();
        g.writeArrayFieldStart("files");
        for (String f : in.files()) {
            g.writeString(f);
        }
        g.writeEndArray();
        g.writeNumberField("packets", in.packets());
        g.writeNumberField("events", in.events());
        g.writeNumberField("filtered_events", c.filteredEvents());
        g.writeObjectFieldStart("skipped");
        for (Map.Entry<SkipReason, Long> e : in.skippedByReason().entrySet()) {
            g.writeNumberField(e.getKey().label(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("unsupported_link_types");
        for (Map.Entry<Integer, Long> e : in.unsupportedLinkTypes().entrySet()) {
            g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("lost_events", in.lostEvents());
        g.writeArrayFieldStart("warnings");
        for (String w : c.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
