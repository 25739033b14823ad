package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.match.MatcherStats;
import dev.flat.core.match.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class ReportWritersTest {
    private static final LongFunction<String> IFACES = i -> i == 0 ? "" : i == 1 ? "eth0" : Long.toString(i);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final StringWriter out = new StringWriter();
    private final StringWriter diagnostics = new StringWriter();
    private final Summary summary = new Summary();
    private final InputStats input = new InputStats();

    private List<Exchange> exchanges() {
        Exchange tcp = TestExchanges.tcp(1_234_567);
        tcp.retransmits = 1;
        Exchange refused = TestExchanges.of(Kind.TCP, "10.0.0.1", 40001, "10.0.0.2", 81, 50_000);
        refused.outcome = Outcome.REFUSED;
        Exchange dns = TestExchanges.of(Kind.DNS, "2001:db8::1", 5353, "2001:db8::53", 53, 2_000_000);
        dns.dnsId = 0x1234;
        dns.tsDigits = 6;
        dns.requestTimeNs = TestExchanges.T0 - 789;
        dns.direction = Direction.INGRESS;
        Exchange ping = TestExchanges.of(Kind.ICMP, "10.0.0.1", 0, "10.0.0.9", 0, 300_000);
        ping.icmpId = 7;
        ping.icmpSeq = 3;
        ping.direction = Direction.UNKNOWN;
        ping.ifindex = 0;
        return List.of(tcp, refused, dns, ping);
    }

    private ReportContext run(ReportFormat format, Ansi ansi) throws IOException {
        input.addFile("a.pcap");
        input.countPackets(10);
        for (int i = 0; i < 8; i++) {
            input.countEvent();
        }
        input.skip(SkipReason.NOT_RELEVANT);
        input.unsupportedLinkType(147);
        input.warn("a.pcap: offset 99: file cut short");
        ReportWriter w = format.open(out, diagnostics, ansi, IFACES, false);
        for (Exchange e : exchanges()) {
            summary.onExchange(e);
            w.onExchange(e);
        }
        ReportContext c = new ReportContext(summary, matcherWithOneUnansweredAndOneUnmatched(), input, 4, 10);
        w.finish(c);
        return c;
    }

    /** A real matcher's counters: one SYN never answered, one SYN/ACK answering nothing. */
    private static MatcherStats matcherWithOneUnansweredAndOneUnmatched() {
        Matcher m = new Matcher(MatcherConfig.defaults(), e -> { });
        m.onEvent(tcp(EventRecord.TCP_SYN, new byte[] {10, 0, 0, 1}, 40000, new byte[] {10, 0, 0, 2}, 80, 100, 0));
        m.onEvent(tcp(EventRecord.TCP_SYN | EventRecord.TCP_ACK, new byte[] {10, 0, 0, 3}, 80,
                new byte[] {10, 0, 0, 1}, 40001, 500, 7));
        m.finish();
        return m.stats();
    }

    private static EventRecord tcp(int flags, byte[] src, int sport, byte[] dst, int dport, long seq, long ack) {
        return EventRecord.allocate().type(EventRecord.TYPE_PACKET).version(EventRecord.VERSION).ipVersion(4)
                .ipProto(EventRecord.PROTO_TCP).tcpFlags(flags).tcpSeq(seq).tcpAck(ack).ttl(64)
                .tsNs(TestExchanges.T0).tsDigits(EventRecord.DIGITS_NS)
                .saddrV4(src, 0).daddrV4(dst, 0).sport(sport).dport(dport);
    }

    @Test
    void csvHasTheExactHeaderAndLeavesRefusedOut() throws IOException {
        run(ReportFormat.CSV, Ansi.OFF);
        assertEquals("""
                time,kind,client,client_port,server,server_port,latency_ms,retransmits,ttl,direction,interface
                2024-05-01T12:00:00.123456789Z,tcp,10.0.0.1,40000,10.0.0.2,80,1.234567,1,64,outbound,eth0
                2024-05-01T12:00:00.123456Z,dns,2001:db8::1,5353,2001:db8::53,53,2.000,0,64,inbound,eth0
                2024-05-01T12:00:00.123456789Z,icmp,10.0.0.1,,10.0.0.9,,0.300000,0,64,unknown,
                """, out.toString());
        assertTrue(diagnostics.toString().contains("summary"), "the summary goes to the diagnostics writer");
    }

    @Test
    void csvQuotesInterfaceNamesAndKeepsThoseThatAreNotAscii() throws IOException {
        LongFunction<String> names = i -> i == 1 ? "wlan-é" : i == 2 ? "a,b" : "eth\"0";
        CsvReportWriter w = new CsvReportWriter(out, null, names, false);
        for (long ifindex : new long[] {1, 2, 3, 1}) {
            Exchange e = TestExchanges.tcp(1_000_000);
            e.ifindex = ifindex;
            w.onExchange(e);
        }
        w.finish(new ReportContext(summary, new MatcherStats(), input, 0, 10));
        String row = "2024-05-01T12:00:00.123456789Z,tcp,10.0.0.1,40000,10.0.0.2,80,1.000000,0,64,outbound,";
        assertEquals(String.join(",", CsvReportWriter.COLUMNS) + "\n"
                + row + "wlan-é\n" + row + "\"a,b\"\n" + row + "\"eth\"\"0\"\n" + row + "wlan-é\n", out.toString());
    }

    @Test
    void csvWithoutExchangesStillHasItsHeader() throws IOException {
        new CsvReportWriter(out, null, IFACES, false)
                .finish(new ReportContext(summary, new MatcherStats(), input, 0, 10));
        assertEquals(String.join(",", CsvReportWriter.COLUMNS) + "\n", out.toString());
    }

    @Test
    void jsonIsOneDocumentWithExactDecimalLatencies() throws IOException {
        run(ReportFormat.JSON, Ansi.OFF);
        JsonNode root = JSON.readTree(out.toString());
        JsonNode ex = root.get("exchanges");
        assertEquals(4, ex.size());
        assertEquals(new BigDecimal("1.234567"), ex.get(0).get("latency_ms").decimalValue());
        assertEquals("answered", ex.get(0).get("outcome").asText());
        assertEquals("refused", ex.get(1).get("outcome").asText());
        assertEquals(new BigDecimal("2.000"), ex.get(2).get("latency_ms").decimalValue());
        assertEquals(0x1234, ex.get(2).get("dns_id").asInt());
        assertTrue(ex.get(3).get("client_port").isNull());
        assertEquals(3, ex.get(3).get("icmp_seq").asInt());
        assertEquals("", ex.get(3).get("interface").asText());

        JsonNode tcp = root.at("/summary/kinds/tcp");
        assertEquals(2, tcp.get("exchanges").asLong());
        assertEquals(1, tcp.get("refused").asLong());
        assertEquals(1, tcp.get("unanswered").asLong());
        assertEquals(1, tcp.get("unmatched_responses").asLong());
        assertEquals(1, tcp.get("requests").asLong());
        assertEquals(new BigDecimal("1.234567"), tcp.at("/latency_ms/max").decimalValue());
        assertTrue(root.at("/summary/kinds/udp/latency_ms").isNull());
        assertEquals(4, root.at("/summary/servers").size());

        JsonNode in = root.get("input");
        assertEquals("a.pcap", in.at("/files/0").asText());
        assertEquals(10, in.get("packets").asLong());
        assertEquals(4, in.get("filtered_events").asLong());
        assertEquals(1, in.at("/skipped/not_relevant").asLong());
        assertEquals(1, in.at("/unsupported_link_types/147").asLong());
        assertEquals("a.pcap: offset 99: file cut short", in.at("/warnings/0").asText());
    }

    /**
     * The exchange objects are composed as text, not field by field through Jackson: they must be
     * what Jackson writes field by field, for every kind and for interface names JSON escapes
     * (quote, backslash, a control character) or that are not ASCII.
     */
    @Test
    void jsonExchangeObjectsAreWhatJacksonWritesFieldByField() throws IOException {
        String[] names = {"eth0", "a\"b\\c", "tab\there", "wlan-é", ""};
        List<Exchange> all = new java.util.ArrayList<>();
        for (Exchange e : exchanges()) {
            for (int i = 0; i < names.length; i++) {
                Exchange c = e.copy();
                c.ifindex = i + 100;
                all.add(c);
            }
        }
        LongFunction<String> labels = i -> names[(int) i - 100];
        StringWriter composed = new StringWriter();
        JsonlReportWriter w = new JsonlReportWriter(composed, labels, false);
        for (Exchange e : all) {
            w.onExchange(e);
        }
        w.finish(new ReportContext(summary, new MatcherStats(), input, 0, 10));

        StringWriter reference = new StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
                .createGenerator(reference)) {
            g.setPrettyPrinter(new com.fasterxml.jackson.core.util.MinimalPrettyPrinter("\n"));
            for (Exchange e : all) {
                g.writeStartObject();
                g.writeStringField("time", TimeText.iso(e.requestTimeNs, e.tsDigits));
                g.writeStringField("kind", e.kind.label());
                g.writeStringField("outcome", e.outcome.label());
                g.writeStringField("client", AddressText.format(e.clientHi, e.clientLo));
                boolean ports = e.kind != Kind.ICMP;
                g.writeFieldName("client_port");
                if (ports) { g.writeNumber(e.clientPort); } else { g.writeNull(); }
                g.writeStringField("server", AddressText.format(e.serverHi, e.serverLo));
                g.writeFieldName("server_port");
                if (ports) { g.writeNumber(e.serverPort); } else { g.writeNull(); }
                g.writeFieldName("latency_ms");
                g.writeNumber(Millis.exact(e.latencyNs, e.tsDigits));
                g.writeNumberField("retransmits", e.retransmits);
                g.writeNumberField("ttl", e.responseTtl);
                g.writeStringField("direction", ExchangeFields.direction(e.direction));
                g.writeStringField("interface", labels.apply(e.ifindex));
                if (e.kind == Kind.DNS) {
                    g.writeNumberField("dns_id", e.dnsId);
                } else if (e.kind == Kind.ICMP) {
                    g.writeNumberField("icmp_id", e.icmpId);
                    g.writeNumberField("icmp_seq", e.icmpSeq);
                }
                g.writeEndObject();
            }
        }
        String[] lines = composed.toString().split("\n");
        assertEquals(reference + "\n", String.join("\n", java.util.Arrays.copyOf(lines, all.size())) + "\n");
        assertTrue(reference.toString().contains("\"a\\\"b\\\\c\"") && reference.toString().contains("\\t"),
                "the reference escapes the names: " + reference);

        StringWriter document = new StringWriter();
        JsonReportWriter j = new JsonReportWriter(document, labels);
        for (Exchange e : all) {
            j.onExchange(e);
        }
        j.finish(new ReportContext(summary, new MatcherStats(), input, 0, 10));
        JsonNode parsed = JSON.readTree(document.toString()).get("exchanges");
        assertEquals(all.size(), parsed.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(JSON.readTree(lines[i]), parsed.get(i), "exchange " + i);
        }
    }

    @Test
    void jsonlIsOneObjectPerLineThenTheSummary() throws IOException {
        run(ReportFormat.JSONL, Ansi.OFF);
        String[] lines = out.toString().split("\n", -1);
        assertEquals(6, lines.length, "4 exchanges, the summary, and the final newline");
        assertEquals("", lines[5]);
        JsonNode first = JSON.readTree(lines[0]);
        assertEquals("tcp", first.get("kind").asText());
        assertEquals(JSON.readTree(lines[0]).fieldNames().next(), "time");
        JsonNode last = JSON.readTree(lines[4]);
        assertTrue(last.has("summary") && last.has("input"));
        assertFalse(first.has("summary"));
    }

    @Test
    void textLinesMirrorTheOriginalFlat() throws IOException {
        run(ReportFormat.TEXT, Ansi.OFF);
        String[] lines = out.toString().split("\n");
        assertEquals("(tcp) | src: 10.0.0.1:40000\tdst: 10.0.0.2:80\tTTL: 64\tlatency: 1.234567 ms\tretransmits: 1",
                lines[0]);
        assertEquals("(tcp) | src: 10.0.0.1:40001\tdst: 10.0.0.2:81\tTTL: 64\tlatency: 0.050000 ms\trefused", lines[1]);
        assertEquals("(dns) | src: [2001:db8::1]:5353\tdst: [2001:db8::53]:53\tTTL: 64\tlatency: 2.000 ms\tid: 4660",
                lines[2]);
        assertEquals("(icmp) | src: 10.0.0.1\tdst: 10.0.0.9\tTTL: 64\tlatency: 0.300000 ms\tid: 7 seq: 3", lines[3]);
        String text = out.toString();
        assertTrue(text.contains("10.0.0.2:80"));
        assertTrue(text.contains("skipped: 2 (not_relevant: 1, unsupported_link_type: 1)"), text);
        assertTrue(text.contains("link type 147: 1"), text);
        assertTrue(text.contains("file cut short"), text);
        assertFalse(text.contains("\u001b["), "no colour when off");
    }

    @Test
    void textColoursEachKind() throws IOException {
        run(ReportFormat.TEXT, Ansi.ON);
        String[] lines = out.toString().split("\n");
        assertTrue(lines[0].startsWith("\u001b[36m(tcp)") && lines[0].endsWith("\u001b[0m"));
        assertTrue(lines[2].startsWith("\u001b[32m(dns)"));
        assertTrue(lines[3].startsWith("\u001b[34m(icmp)"));
    }
}
