package dev.flat.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flat.core.input.InputStats;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.MatcherStats;
import dev.flat.core.match.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's structure and data; tests/HtmlReportBrowserTest (cli) renders it in Chromium. */
class HtmlReportWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"flat-data\">(.*?)</script>", Pattern.DOTALL);

    private final Summary summary = new Summary();
    private final InputStats input = new InputStats();

    private String write(List<Exchange> exchanges, int unanswered, String file) throws IOException {
        input.addFile(file);
        StringWriter out = new StringWriter();
        HtmlReportWriter w = new HtmlReportWriter(out);
        for (Exchange e : exchanges) {
            summary.onExchange(e);
            w.onExchange(e);
        }
        for (int i = 0; i < unanswered; i++) {
            Exchange server = TestExchanges.tcp(0);
            w.onUnanswered(Kind.TCP, TestExchanges.T0 + i, server.serverHi, server.serverLo, server.serverPort, 1);
        }
        w.finish(context());
        return out.toString();
    }

    private ReportContext context() {
        return new ReportContext(summary, new MatcherStats(), input, 0, 10);
    }

    private static JsonNode data(String page) throws IOException {
        Matcher m = DATA.matcher(page);
        assertTrue(m.find(), "the page holds its data");
        return JSON.readTree(m.group(1));
    }

    private static List<Exchange> sample() {
        Exchange slow = TestExchanges.tcp(3_000_000);
        slow.requestTimeNs += 2_000_000_000L;
        slow.retransmits = 2;
        Exchange refused = TestExchanges.of(Kind.TCP, "10.0.0.1", 40001, "10.0.0.2", 81, 50_000);
        refused.outcome = Outcome.REFUSED;
        Exchange dns = TestExchanges.of(Kind.DNS, "2001:db8::1", 5353, "2001:db8::53", 53, 2_000_000);
        Exchange ping = TestExchanges.of(Kind.ICMP, "10.0.0.1", 0, "10.0.0.9", 0, 300_000);
        return List.of(TestExchanges.tcp(1_000_000), slow, refused, dns, ping);
    }

    @Test
    void oneSelfContainedDocument() throws IOException {
        String page = write(sample(), 0, "a.pcap");
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.endsWith("</html>\n"));
        String lower = page.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script src") || lower.contains("<link") || lower.contains("@import"),
                "nothing is fetched: scripts and styles are inline");
        assertTrue(page.contains(HtmlAssets.get().uplotScript), "uPlot's script, verbatim");
        assertTrue(page.contains(HtmlAssets.get().uplotStyles), "uPlot's style sheet, verbatim");
        assertEquals(1, page.split("id=\"flat-data\"", -1).length - 1);
    }

    @Test
    void summaryAndInputAreTheJsonReportsOwn() throws IOException {
        String page = write(sample(), 0, "a.pcap");
        StringWriter json = new StringWriter();
        JsonReportWriter jw = new JsonReportWriter(json, i -> "");
        jw.finish(context());
        JsonNode expected = JSON.readTree(json.toString());
        JsonNode d = data(page);
        assertEquals(expected.get("summary"), d.get("summary"));
        assertEquals(expected.get("input"), d.get("input"));
    }

    @Test
    void timelineCountsEveryExchangeAndUnansweredRequestAtItsTime() throws IOException {
        JsonNode d = data(write(sample(), 3, "a.pcap"));
        JsonNode axis = d.get("axis");
        assertEquals(0.004, axis.get("width_s").asDouble(), 1e-12, "2 s of capture: 1 ms doubled twice");
        JsonNode all = d.get("timeline").get("all");
        assertEquals(axis.get("points").asInt(), all.get("count").size());
        assertEquals(5, sum(all.get("count")));
        assertEquals(3, sum(all.get("unanswered")));
        assertEquals(1, sum(all.get("refused")));
        assertEquals(4, sum(all.get("retransmitted")), "the slow exchange and the 3 unanswered requests were sent twice or more");
        assertEquals(3, sum(d.get("timeline").get("tcp").get("count")));
        assertEquals(1, sum(d.get("timeline").get("dns").get("count")));
        // the first point holds the four exchanges at T0: min 50 µs, max 2 ms; the last the slow one
        assertEquals(new BigDecimal("0.05"), all.get("min_ms").get(0).decimalValue().stripTrailingZeros());
        assertEquals(new BigDecimal("2"), all.get("max_ms").get(0).decimalValue().stripTrailingZeros());
        int last = all.get("count").size() - 1;
        assertEquals(1, all.get("count").get(last).asLong());
        assertEquals(new BigDecimal("3"), all.get("p50_ms").get(last).decimalValue().stripTrailingZeros());
        assertTrue(all.get("p50_ms").get(1).isNull(), "a point without exchanges has no latency");
    }

    @Test
    void distributionsAndServersFollowTheSummary() throws IOException {
        JsonNode d = data(write(sample(), 0, "a.pcap"));
        JsonNode tcp = d.get("distribution").get("tcp");
        assertEquals(3, sum(tcp.get("bin_count")));
        assertEquals(tcp.get("percentile").size(), tcp.get("ms").size());
        assertEquals(0.0, tcp.get("percentile").get(0).asDouble());
        assertEquals(new BigDecimal("0.05"), tcp.get("ms").get(0).decimalValue().stripTrailingZeros(), "starts at the exact min");
        assertEquals(5, sum(d.get("distribution").get("all").get("bin_count")));
        JsonNode servers = d.get("servers");
        JsonNode summaryServers = d.get("summary").get("servers");
        assertEquals(summaryServers.size(), servers.size());
        for (int i = 0; i < servers.size(); i++) {
            assertEquals(summaryServers.get(i).get("kind"), servers.get(i).get("kind"));
            assertEquals(summaryServers.get(i).get("exchanges").asLong(), sum(servers.get(i).get("timeline").get("count")));
            assertEquals(summaryServers.get(i).get("exchanges").asLong(), sum(servers.get(i).get("distribution").get("bin_count")));
        }
        assertEquals("10.0.0.2:80", servers.get(0).get("endpoint").asText(), "the busiest first, as in the summary");
    }

    @Test
    void exchangesAreListedUpToTheLimitAndCountedBeyond() throws IOException {
        int n = HtmlReportWriter.EXCHANGE_LIMIT + 5;
        Exchange e = TestExchanges.tcp(1_000_000);
        List<Exchange> many = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            many.add(e);
        }
        JsonNode d = data(write(many, 0, "a.pcap"));
        assertEquals(HtmlReportWriter.EXCHANGE_LIMIT, d.get("exchanges").size());
        assertEquals(n, d.get("report").get("exchanges_total").asLong());
        assertEquals(HtmlReportWriter.EXCHANGE_LIMIT, d.get("report").get("exchanges_shown").asLong());
        assertEquals(n, sum(d.get("timeline").get("all").get("count")), "the plots cover every exchange");
    }

    @Test
    void exchangeRowsCarryTheExactFields() throws IOException {
        JsonNode rows = data(write(sample(), 0, "a.pcap")).get("exchanges");
        assertEquals(JSON.readTree("[\"2024-05-01T12:00:00.123456789Z\",\"tcp\",\"answered\",\"10.0.0.1\",40000,"
                + "\"10.0.0.2\",80,1.000000,0]"), rows.get(0));
        assertEquals(JSON.readTree("[\"2024-05-01T12:00:00.123456789Z\",\"icmp\",\"answered\",\"10.0.0.1\",null,"
                + "\"10.0.0.9\",null,0.300000,0]"), rows.get(4));
    }

    @Test
    void textFromTheCaptureCannotEndTheScriptElement() throws IOException {
        String hostile = "x</script><script>alert(1)</script><!--\u2028.pcap";
        String page = write(sample(), 0, hostile);
        assertFalse(page.contains("</script><script>alert"), "a file name stays inside the data");
        assertFalse(page.contains("\u2028"));
        assertEquals(hostile, data(page).get("input").get("files").get(0).asText(), "and reads back unchanged");
    }

    @Test
    void anEmptyReportIsStillAPage() throws IOException {
        JsonNode d = data(write(List.of(), 0, "empty.pcap"));
        assertEquals(0, d.get("axis").get("points").asInt());
        assertTrue(d.get("axis").get("start_s").isNull());
        assertEquals(0, d.get("timeline").get("all").get("count").size());
        assertEquals(0, d.get("distribution").get("all").get("percentile").size());
        assertEquals(0, d.get("servers").size());
    }

    private static long sum(JsonNode array) {
        long s = 0;
        for (JsonNode n : array) {
            s += n.asLong();
        }
        return s;
    }
}
