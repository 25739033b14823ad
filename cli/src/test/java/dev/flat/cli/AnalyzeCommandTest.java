package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flat.core.report.CsvReportWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAB = Cli.LAB.toString();

    @TempDir
    Path tmp;

    private static JsonNode json(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--format", "json"));
        all.addAll(List.of(args));
        Cli r = Cli.analyze(all.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }

    private static long total(JsonNode report, String field) {
        long n = 0;
        for (JsonNode kind : report.at("/summary/kinds")) {
            n += kind.get(field).asLong();
        }
        return n;
    }

    @Test
    void textIsTheDefaultWithOneLinePerExchangeAndASummary() {
        Cli r = Cli.analyze("--color", "never", LAB);
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("(tcp) | src: ")), r.out());
        assertTrue(r.out().contains("\nsummary\n"));
        assertTrue(r.out().contains("busiest servers"));
        assertFalse(r.out().contains("\u001b["), "no colour when not asked and not a terminal");
        assertEquals("", r.err());
    }

    /**
     * tcpdump's timestamp_invalid_nano.pcap: the SYN/ACK's nanosecond field is 10^9. The handshake
     * is measured as Wireshark measures it, and the json, the text summary and standard error say
     * that a time field was out of range.
     */
    @Test
    void aTimeFieldOutOfRangeIsMeasuredCountedAndWarnedAbout() throws IOException {
        String capture = Path.of("..", "..", "shared", "corpus", "tcpdump__timestamp_invalid_nano.pcap").toString();
        JsonNode report = json(capture);
        assertEquals(1, report.get("exchanges").size());
        assertEquals(1000.000001, report.at("/exchanges/0/latency_ms").asDouble());
        assertEquals(1, report.at("/input/timestamps_out_of_range").asLong());
        assertTrue(report.at("/input/warnings/0").asText().contains("1 measured packet has a time field out of range"),
                report.at("/input/warnings").toString());
        Cli text = Cli.analyze("--color", "never", capture);
        assertTrue(text.out().contains("\n  time fields out of range (measured as read): 1\n"), text.out());
        assertTrue(text.err().contains("time field out of range"), text.err());
    }

    @Test
    void colorAlwaysColoursEvenWhenNotATerminal() {
        Cli r = Cli.analyze("--color", "always", LAB);
        assertTrue(r.out().contains("\u001b[36m(tcp)"), r.out());
    }

    @Test
    void jsonExchangesAgreeWithItsSummary() throws IOException {
        JsonNode report = json(LAB);
        long exchanges = report.get("exchanges").size();
        assertTrue(exchanges > 0);
        assertEquals(exchanges, total(report, "exchanges"));
        assertEquals(LAB, report.at("/input/files/0").asText());
        assertTrue(report.at("/input/packets").asLong() > 0);
        assertTrue(report.at("/summary/servers").size() <= 10);
    }

    @Test
    void jsonlStreamsExchangesThenOneSummaryLine() throws IOException {
        Cli r = Cli.analyze("--format", "jsonl", LAB);
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals(lines.size() - 1, total(last, "exchanges"));
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(JSON.readTree(line).has("latency_ms"), line);
        }
    }

    @Test
    void csvHasTheHeaderOnStdoutAndAnsweredRowsOnlyWithTheSummaryOnStderr() throws IOException {
        Cli r = Cli.analyze("--format", "csv", LAB);
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("time,kind,client,client_port,server,server_port,latency_ms,retransmits,ttl,direction,interface",
                lines.get(0));
        JsonNode report = json(LAB);
        assertEquals(total(report, "answered"), lines.size() - 1, "refused exchanges are not csv rows");
        for (String row : lines.subList(1, lines.size())) {
            assertEquals(CsvReportWriter.COLUMNS.size(), row.split(",", -1).length, row);
        }
        assertTrue(r.err().contains("summary"), "the summary goes to stderr");
    }

    @Test
    void htmlWithoutOutputIsOneCompletePageOnStdout() throws IOException {
        Cli r = Cli.analyze("--format", "html", LAB);
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>") && r.out().endsWith("</html>\n"), "one whole document");
        assertEquals("", r.err(), "no summary on stderr: the page has it");
        String data = r.out().replaceFirst("(?s).*<script type=\"application/json\" id=\"flat-data\">(.*?)</script>.*", "$1");
        assertEquals(json(LAB).get("summary"), JSON.readTree(data).get("summary"), "the page carries the json report's summary");
    }

    @Test
    void outputOptionWritesTheFileAndNothingToStdout() throws IOException {
        Path out = tmp.resolve("report.json");
        Cli r = Cli.analyze("--format", "json", "-o", out.toString(), LAB);
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(JSON.readTree(out.toFile()).has("exchanges"));
    }

    @Test
    void unwritableOutputIsAUsageError() {
        Cli r = Cli.analyze("-o", tmp.resolve("no/such/dir/report.txt").toString(), LAB);
        assertEquals(ExitCode.USAGE, r.exitCode());
    }

    @Test
    void aReportThatCannotBeWrittenExitsFiveWithOneLine() {
        for (String format : new String[] {"text", "json", "jsonl", "csv", "html"}) {
            Cli r = Cli.analyze("--format", format, "-o", "/dev/full", LAB);
            assertEquals(ExitCode.OUTPUT, r.exitCode(), r.err());
            assertEquals("flat: /dev/full: writing the report failed (No space left on device)", r.err().strip(), format);
        }
    }

    @Test
    void hostFilterKeepsOnlyThatHostAndCountsTheRest() throws IOException {
        JsonNode all = json(LAB);
        String server = all.at("/exchanges/0/server").asText();
        JsonNode some = json("--host", server, LAB);
        assertTrue(some.get("exchanges").size() > 0);
        for (JsonNode e : some.get("exchanges")) {
            assertTrue(server.equals(e.get("server").asText()) || server.equals(e.get("client").asText()), e.toString());
        }
        assertTrue(some.at("/input/filtered_events").asLong() > 0);
        assertEquals(0, all.at("/input/filtered_events").asLong());
    }

    @Test
    void portFilterKeepsOnlyThatPort() throws IOException {
        JsonNode r = json("--port", "53", LAB);
        assertTrue(r.get("exchanges").size() > 0);
        for (JsonNode e : r.get("exchanges")) {
            assertEquals(53, e.get("server_port").asInt(), e.toString());
        }
    }

    @Test
    void kindSelectsWhatTheMatcherMeasures() throws IOException {
        JsonNode r = json("--kind", "tcp,icmp", LAB);
        for (JsonNode e : r.get("exchanges")) {
            String kind = e.get("kind").asText();
            assertTrue(kind.equals("tcp") || kind.equals("icmp"), kind);
        }
        assertEquals(0, r.at("/summary/kinds/dns/exchanges").asLong());
        assertTrue(r.at("/summary/kinds/dns/not_selected").asLong() > 0, "dns events counted, not dropped silently");
    }

    @Test
    void topLimitsTheServerList() throws IOException {
        assertEquals(1, json("--top", "1", LAB).at("/summary/servers").size());
    }

    @Test
    void severalFilesMakeOneReport() throws IOException {
        String pcap = Path.of("..", "testdata", "lab", "lab.pcap").toString();
        JsonNode one = json(LAB);
        JsonNode two = json(LAB, pcap);
        assertEquals(2, two.at("/input/files").size());
        assertEquals(2 * one.at("/input/packets").asLong(), two.at("/input/packets").asLong());
    }

    @Test
    void compressedCapturesAreReadToo() throws IOException {
        JsonNode gz = json(Path.of("..", "testdata", "lab", "lab.pcap.gz").toString());
        assertTrue(gz.get("exchanges").size() > 0);
    }

    @Test
    void missingFileExitsThreeWithOneLine() {
        Cli r = Cli.analyze(tmp.resolve("missing.pcap").toString());
        assertEquals(ExitCode.INPUT, r.exitCode());
        assertEquals("flat: " + tmp.resolve("missing.pcap") + ": no such file\n", r.err());
        assertEquals("", r.out(), "nothing is written before the inputs are checked");
    }

    @Test
    void garbageExitsThreeNamingFileAndOffset() throws IOException {
        Path junk = tmp.resolve("junk.pcap");
        Files.write(junk, "this is not a capture file at all".getBytes());
        Cli r = Cli.analyze(junk.toString());
        assertEquals(ExitCode.INPUT, r.exitCode());
        assertTrue(r.err().startsWith("flat: " + junk + ": offset 0: "), r.err());
        assertEquals(1, r.err().lines().count(), "one line without --verbose");
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path junk = tmp.resolve("junk.pcap");
        Files.write(junk, new byte[64]);
        Cli r = Cli.analyze("--verbose", junk.toString());
        assertEquals(ExitCode.INPUT, r.exitCode());
        assertTrue(r.err().lines().count() > 1, r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void fileCutShortReportsWhatWasReadAndWarns() throws IOException {
        byte[] whole = Files.readAllBytes(Path.of("..", "testdata", "lab", "lab.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 10));
        Cli r = Cli.analyze("--format", "json", cut.toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("flat: warning: "), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertTrue(report.get("exchanges").size() > 0);
        assertEquals(1, report.at("/input/warnings").size());
    }

    @Test
    void garbageHalfWayFinishesTheReportThenExitsThree() throws IOException {
        // lab.pcap with the captured length of its 11th record made absurd (pcap: 24-byte file
        // header, 16-byte record headers with incl_len little-endian at +8).
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("..", "testdata", "lab", "lab.pcap")))
                .order(ByteOrder.LITTLE_ENDIAN);
        int offset = 24;
        for (int i = 0; i < 10; i++) {
            offset += 16 + b.getInt(offset + 8);
        }
        b.putInt(offset + 8, Integer.MAX_VALUE);
        Path bad = tmp.resolve("bad.pcap");
        Files.write(bad, b.array());
        Cli r = Cli.analyze("--format", "json", bad.toString());
        assertEquals(ExitCode.INPUT, r.exitCode());
        // the offset named is the bad field's
        assertTrue(r.err().startsWith("flat: " + bad + ": offset " + (offset + 8) + ": "), r.err());
        JsonNode report = JSON.readTree(r.out()); // still one well-formed document
        assertTrue(report.get("exchanges").size() > 0, "what was read before the garbage is kept");
        assertEquals(1, report.at("/input/warnings").size());
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertEquals(ExitCode.USAGE, Cli.analyze("--bogus", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--format", "xml", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--timeout", "10", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--kind", "tcp,sctp", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--host", "example.com", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--port", "65536", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--max-pending", "0", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--top", "-1", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze("--color", "sometimes", LAB).exitCode());
        assertEquals(ExitCode.USAGE, Cli.analyze().exitCode(), "a file is required");
    }
}
