package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The html report of the lab capture, rendered by a real browser (headless Chromium): every chart
 * drew its series (pixels of each series' colour on its canvas, counted by the page's own check,
 * which runs with "selfcheck" in the address), every figure on the page equals the json report's,
 * and the browser's console stayed silent (no error, no warning, no message at all).
 */
class HtmlReportBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final Pattern SELF_CHECK = Pattern.compile("<pre id=\"flat-selfcheck\"[^>]*>(.*?)</pre>", Pattern.DOTALL);
    private static final Pattern JSON_CELL = Pattern.compile("<td data-json=\"([^\"]+)\"[^>]*>([^<]*)</td>");
    private static final List<String> MAIN_CHARTS = List.of("latency-chart", "requests-chart", "percentile-chart",
            "histogram-chart");

    @TempDir
    static Path dir;
    private static Path page;
    private static JsonNode report;

    @BeforeAll
    static void writeReports() throws IOException {
        page = dir.resolve("lab.html");
        Path json = dir.resolve("lab.json");
        Cli html = Cli.analyze("--format", "html", "-o", page.toString(), Cli.LAB.toString());
        assertEquals(0, html.exitCode(), html.err());
        Cli j = Cli.analyze("--format", "json", "-o", json.toString(), Cli.LAB.toString());
        assertEquals(0, j.exitCode(), j.err());
        report = JSON.readTree(json.toFile());
    }

    private static JsonNode render(Chromium browser, String fragment) throws Exception {
        return render(browser, page, fragment);
    }

    private static JsonNode render(Chromium browser, Path html, String fragment) throws Exception {
        Chromium.Page p = browser.dumpDom(html.toUri() + "#" + fragment);
        List<String> console = new ArrayList<>();
        for (String line : p.stderr().split("\n")) {
            if (line.contains(":CONSOLE")) {
                console.add(line);
            }
        }
        assertEquals(List.of(), console, "the page writes nothing to the console");
        Matcher m = SELF_CHECK.matcher(p.dom());
        assertTrue(m.find(), "the page's check ran:\n" + p.dom());
        ObjectNode check = (ObjectNode) JSON.readTree(unescape(m.group(1)));
        assertEquals(0, check.get("errors").size(), "script errors: " + check.get("errors"));
        return check.put("dom", p.dom());
    }

    @Test
    void everyChartDrawsAndEveryFigureIsTheJsonReports() throws Exception {
        JsonNode check = render(Chromium.require(), "selfcheck");
        List<String> drawn = new ArrayList<>();
        for (JsonNode chart : check.get("charts")) {
            String id = chart.get("id").asText();
            drawn.add(id);
            assertTrue(chart.get("width").asInt() > 100 && chart.get("height").asInt() > 20, id + " has a size");
            for (JsonNode series : chart.get("series")) {
                assertTrue(series.get("pixels").asInt() > 0, id + ": no pixel of series colour " + series.get("color"));
            }
        }
        assertTrue(drawn.containsAll(MAIN_CHARTS), "charts drawn: " + drawn);
        int servers = report.get("summary").get("servers").size();
        assertEquals(MAIN_CHARTS.size() + servers, drawn.size(), "one sparkline per busiest server: " + drawn);

        Matcher cells = JSON_CELL.matcher(check.get("dom").asText());
        int compared = 0;
        while (cells.find()) {
            String path = cells.group(1);
            String shown = unescape(cells.group(2));
            JsonNode expected = at(report, path);
            if (expected.isNull()) {
                assertEquals("–", shown, path);
            } else if (expected.isNumber()) {
                assertEquals(0, expected.decimalValue().compareTo(new java.math.BigDecimal(shown)),
                        path + ": page shows " + shown + ", json has " + expected);
            } else {
                assertEquals(expected.asText(), shown, path);
            }
            compared++;
        }
        assertEquals(check.get("json_cells").asInt(), compared, "every figure cell was compared");
        // per kind 5 counts + 6 latencies, 5 matcher counts; per server 2 counts + 5 latencies; input and matcher
        JsonNode input = report.get("input");
        int expectedCells = 4 * (5 + 6 + 5) + servers * (2 + 5)
                + 4 + input.get("skipped").size() + input.get("unsupported_link_types").size() + 6;
        assertEquals(expectedCells, compared);
        assertEquals(report.get("exchanges").size(), check.get("exchange_rows").asInt(), "every exchange listed");
    }

    @Test
    void theServerFilterRedrawsForOneServer() throws Exception {
        JsonNode check = render(Chromium.require(), "server=0&selfcheck");
        JsonNode server = report.get("summary").get("servers").get(0);
        assertEquals(server.get("kind").asText(), check.get("state").get("kind").asText(), "the server's kind is chosen");
        assertEquals(0, check.get("state").get("server").asInt());
        assertEquals(server.get("exchanges").asInt(), check.get("exchange_rows").asInt(), "only its exchanges are listed");
        int sameKind = 0;
        for (JsonNode s : report.get("summary").get("servers")) {
            sameKind += s.get("kind").equals(server.get("kind")) ? 1 : 0;
        }
        assertEquals(sameKind, check.get("server_rows").asInt(), "the servers table keeps the chosen kind");
        for (JsonNode chart : check.get("charts")) {
            for (JsonNode series : chart.get("series")) {
                assertTrue(series.get("pixels").asInt() > 0, chart.get("id") + " " + series);
            }
        }
    }

    /** One refused SYN (the lab's closed port 9999): single points must still show. */
    @Test
    void aSingleExchangeStillDraws() throws Exception {
        Path one = dir.resolve("one.html");
        Cli r = Cli.analyze("--format", "html", "--kind", "tcp", "--port", "9999", "--host", "10.77.0.2", "-o",
                one.toString(), Cli.LAB.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode check = render(Chromium.require(), one, "selfcheck");
        assertEquals(MAIN_CHARTS.size() + 1, check.get("charts").size(), "the four plots and one sparkline");
        for (JsonNode chart : check.get("charts")) {
            // min, p50 and p99 of one exchange coincide: the one drawn last covers the others
            int drawn = 0;
            for (JsonNode series : chart.get("series")) {
                drawn += series.get("pixels").asInt();
            }
            assertTrue(drawn > 0, chart.get("id") + " " + chart.get("series"));
        }
        assertEquals(1, check.get("exchange_rows").asInt());
    }

    /** Nothing measured: the page says so instead of plotting, without a script error. */
    @Test
    void anEmptyReportRendersWithoutCharts() throws Exception {
        Path none = dir.resolve("none.html");
        Cli r = Cli.analyze("--format", "html", "--port", "1", "-o", none.toString(), Cli.LAB.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode check = render(Chromium.require(), none, "selfcheck");
        assertEquals(0, check.get("charts").size());
        assertTrue(check.get("dom").asText().contains("No exchange to plot."));
    }

    @Test
    void thePageFetchesNothing() throws IOException {
        String html = Files.readString(page);
        for (String fetch : new String[] {"<script src", "<link", "<img", "<iframe", "@import", "url(http"}) {
            assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains(fetch), fetch);
        }
    }

    /** The report's node at a dotted path ("summary.kinds.tcp.latency_ms.p50", "summary.servers.0.refused"). */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.isArray() ? n.get(Integer.parseInt(part)) : n.get(part);
            assertTrue(n != null, "no " + path + " in the json report");
        }
        return n;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
