package dev.flat.core.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
 * field). Latencies are JSON numbers written exactly from integer nanoseconds (summary figures
 * from BigDecimal), so {@code 1.234567} in the file is exactly the measured value, not a
 * double's nearest neighbour.
 */
final class JsonFields {
    private JsonFields() {}

    /**
     * One exchange object as JSON text, composed without Jackson's per-field calls: every field
     * but the interface name is digits, a fixed word or an address, none of which JSON escapes,
     * so the object is built as ASCII bytes (as a CSV row is, docs/performance.md finding 6) and
     * handed on whole. The interface name comes from the capture file and is escaped by Jackson's
     * own {@link JsonStringEncoder}, once per distinct name. The text is exactly what the
     * generator's field-by-field calls wrote before (the golden reports are unchanged): the
     * latency is {@link Millis#exact}'s plain form, which is what {@code writeNumber(BigDecimal)}
     * writes for a scale of at most 6.
     *
     * @return the object's characters in {@code text}, valid until its next use
     */
    static Scratch exchange(Exchange e, LongFunction<String> interfaceLabels, Scratch text) {
        AsciiBuilder b = text.start();
        b.append(TIME);
        ExchangeFields.appendTime(b, text.times, e).append('"');
        b.append(KIND);
        ExchangeFields.appendKind(b, e).append('"');
        b.append(OUTCOME).append(e.outcome.label()).append('"');
        b.append(CLIENT);
        ExchangeFields.appendClient(b, e).append('"');
        b.append(CLIENT_PORT);
        port(b, e, e.clientPort);
        b.append(SERVER);
        ExchangeFields.appendServer(b, e).append('"');
        b.append(SERVER_PORT);
        port(b, e, e.serverPort);
        b.append(LATENCY);
        ExchangeFields.appendLatencyMs(b, e);
        b.append(RETRANSMITS).append(e.retransmits);
        b.append(TTL).append(e.responseTtl);
        b.append(DIRECTION);
        ExchangeFields.appendDirection(b, e).append('"');
        b.append(INTERFACE);
        text.interfaceName(interfaceLabels.apply(e.ifindex));
        b = text.resume();
        if (e.kind == Kind.DNS) {
            b.append(DNS_ID).append(e.dnsId);
        } else if (e.kind == Kind.ICMP) {
            b.append(ICMP_ID).append(e.icmpId).append(ICMP_SEQ).append(e.icmpSeq);
        }
        b.append('}');
        return text.end();
    }

    private static final byte[] TIME = AsciiBuilder.encode("{\"time\":\"");
    private static final byte[] KIND = AsciiBuilder.encode(",\"kind\":\"");
    private static final byte[] OUTCOME = AsciiBuilder.encode(",\"outcome\":\"");
    private static final byte[] CLIENT = AsciiBuilder.encode(",\"client\":\"");
    private static final byte[] CLIENT_PORT = AsciiBuilder.encode(",\"client_port\":");
    private static final byte[] SERVER = AsciiBuilder.encode(",\"server\":\"");
    private static final byte[] SERVER_PORT = AsciiBuilder.encode(",\"server_port\":");
    private static final byte[] LATENCY = AsciiBuilder.encode(",\"latency_ms\":");
    private static final byte[] RETRANSMITS = AsciiBuilder.encode(",\"retransmits\":");
    private static final byte[] TTL = AsciiBuilder.encode(",\"ttl\":");
    private static final byte[] DIRECTION = AsciiBuilder.encode(",\"direction\":\"");
    private static final byte[] INTERFACE = AsciiBuilder.encode(",\"interface\":");
    private static final byte[] DNS_ID = AsciiBuilder.encode(",\"dns_id\":");
    private static final byte[] ICMP_ID = AsciiBuilder.encode(",\"icmp_id\":");
    private static final byte[] ICMP_SEQ = AsciiBuilder.encode(",\"icmp_seq\":");
    private static final byte[] NULL = AsciiBuilder.encode("null");

    private static void port(AsciiBuilder b, Exchange e, int port) {
        if (ExchangeFields.hasPorts(e)) {
            b.append(port);
        } else {
            b.append(NULL);
        }
    }

    /**
     * Reused buffers for {@link #exchange}: the ASCII parts are composed in a builder and widened
     * into one char array, with the escaped interface name between them. One per writer (the time
     * formatter caches a second).
     */
    static final class Scratch {
        private final AsciiBuilder ascii = new AsciiBuilder(256);
        final TimeText times = new TimeText();
        private char[] chars = new char[256];
        private int length;
        private String lastName;
        private char[] lastNameQuoted;

        AsciiBuilder start() {
            length = 0;
            return ascii.reset();
        }

        /** Moves what the builder holds into the chars, then appends {@code name} as a JSON string. */
        void interfaceName(String name) {
            flushAscii();
            if (!name.equals(lastName)) {
                char[] escaped = JsonStringEncoder.getInstance().quoteAsString(name);
                lastNameQuoted = new char[escaped.length + 2];
                lastNameQuoted[0] = '"';
                System.arraycopy(escaped, 0, lastNameQuoted, 1, escaped.length);
                lastNameQuoted[lastNameQuoted.length - 1] = '"';
                lastName = name;
            }
            add(lastNameQuoted, lastNameQuoted.length);
        }

        AsciiBuilder resume() {
            return ascii.reset();
        }

        Scratch end() {
            flushAscii();
            return this;
        }

        char[] chars() { return chars; }

        int length() { return length; }

        private void flushAscii() {
            add(ascii.widened(), ascii.length());
            ascii.reset();
        }

        private void add(char[] c, int n) {
            if (length + n > chars.length) {
                chars = java.util.Arrays.copyOf(chars, Math.max(2 * chars.length, length + n));
            }
            System.arraycopy(c, 0, chars, length, n);
            length += n;
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
        g.writeNumberField("timestamps_out_of_range", in.timestampsOutOfRange());
        g.writeArrayFieldStart("warnings");
        for (String w : c.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
