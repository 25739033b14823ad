package dev.flat.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.cli.ExitCode;
import dev.flat.cli.Main;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.core.match.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The live commands' options, errors and glue, in-process. */
class LiveCommandTest {
    @TempDir
    Path dir;

    @Test
    void recordNeedsAnOutputFile() {
        String[] r = Lab.flat("record", "-i", "lo");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--output"), r[2]);
    }

    @Test
    void recordRefusesACountOfZero() {
        String[] r = Lab.flat("record", "-i", "lo", "-o", dir.resolve("x").toString(), "--count", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'--count': must be 1 or more"), r[2]);
    }

    @Test
    void unknownBackendIsAUsageError() {
        String[] r = Lab.flat("monitor", "-i", "lo", "--backend", "dpdk");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'dpdk' is not a backend; use auto, ebpf or pcap"), r[2]);
    }

    @Test
    void unknownInterfaceIsALiveSetupFailureWithEveryBackend() {
        for (String backend : List.of("auto", "pcap")) {
            String[] r = Lab.flat("record", "-i", "flat-nope0", "--backend", backend, "-o", dir.resolve("x").toString());
            assertEquals("4", r[0], backend + ": " + r[2]);
            assertTrue(r[2].startsWith("flat: unknown interface 'flat-nope0' (interfaces: "), r[2]);
        }
    }

    /** pcap4j loads the library named by this property; a name that does not exist stands for "not installed". */
    @Test
    void missingLibpcapSaysWhatToInstall() throws Exception {
        Process p = new ProcessBuilder(Lab.flatCommand(List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8"),
                "record", "-i", "lo", "--backend", "pcap", "-o", dir.resolve("x").toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = Watched.of(p).stderrAfterExit();
        assertEquals(ExitCode.LIVE_SETUP, p.exitValue(), err);
        assertTrue(err.startsWith("flat: libpcap cannot be loaded ("), err);
        assertTrue(err.strip().endsWith("install libpcap (Debian: libpcap0.8)"), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
    }

    @Test
    void tallyClassifiesByProtocolAndDnsPort() {
        EventTally tally = new EventTally();
        EventRecord e = EventRecord.allocate();
        tally.count(e.ipProto(EventRecord.PROTO_TCP));
        tally.count(e.ipProto(EventRecord.PROTO_UDP).sport(40000).dport(53));
        tally.count(e.ipProto(EventRecord.PROTO_UDP).sport(53).dport(40000));
        tally.count(e.ipProto(EventRecord.PROTO_UDP).sport(40000).dport(7777));
        tally.count(e.ipProto(EventRecord.PROTO_ICMPV6));
        tally.count(e.ipProto(47));
        assertEquals(2, tally.count(Kind.DNS));
        assertEquals("tcp 1, dns 2, udp 1, icmp 1, other 1", tally.describe());
    }

    @Test
    void monitorSinkCopiesTheRecordAndMovesItToTheWallClock() {
        EventRecord source = EventRecord.allocate().tsNs(5_000).ttl(64);
        InputStats stats = new InputStats();
        List<Long> seen = new ArrayList<>();
        MonitorCommand.wallClock(1_000_000, stats, e -> {
            assertTrue(e != source);
            seen.add(e.tsNs());
        }).onEvent(source);
        assertEquals(List.of(1_005_000L), seen);
        assertEquals(5_000, source.tsNs(), "the source's buffer is not written");
        assertEquals(1, stats.events());
    }

    /** A UDP request and its reply between two sockets of this JVM, matched live on loopback. */
    @Test
    void monitorMatchesLiveOnLoopbackWithLibpcap() throws Exception {
        Lab.requireRoot();
        MonitorRun r = monitorOneUdpExchange("--format", "jsonl");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].contains("\"kind\":\"udp\"") && lines[0].contains("\"server_port\":" + r.port()), lines[0]);
        assertTrue(lines[1].startsWith("{\"summary\""), lines[1]);
        assertTrue(r.err().contains("flat: monitoring lo (pcap)"), r.err());
        assertTrue(r.err().contains("stopped by --duration"), r.err());
    }

    /** The html page is written when the monitor stops, to the -o file, with the exchange in it. */
    @Test
    void monitorWritesItsHtmlPageOnExit() throws Exception {
        Lab.requireRoot();
        Path page = dir.resolve("live.html");
        MonitorRun r = monitorOneUdpExchange("--format", "html", "-o", page.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out(), "nothing on stdout");
        String html = java.nio.file.Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"), "a whole page");
        assertTrue(html.contains("\"udp\":{\"exchanges\":1,"), "its summary counts the exchange");
        assertTrue(html.contains(",\"udp\",\"answered\",\"127.0.0.1\","), "and lists it");
        assertTrue(html.contains("(live, pcap)"), "the input names the live interface");
    }

    private record MonitorRun(int exitCode, String out, String err, int port) {}

    /** flat monitor on lo (libpcap) for 4 s while one UDP request is answered. */
    private static MonitorRun monitorOneUdpExchange(String... reportArgs) throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = server.getLocalPort();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cmd = Main.commandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(List.of("monitor", "-i", "lo", "--backend", "pcap", "--kind", "udp",
                    "--port", Integer.toString(port), "--duration", "4s"));
            args.addAll(List.of(reportArgs));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cmd.execute(args.toArray(new String[0])));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!err.toString().contains("Ctrl-C stops") && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            byte[] request = {1, 2, 3, 4};
            client.send(new DatagramPacket(request, request.length, server.getLocalSocketAddress()));
            DatagramPacket received = new DatagramPacket(new byte[16], 16);
            server.receive(received);
            server.send(new DatagramPacket(request, request.length, received.getSocketAddress()));
            int code = run.get(30, TimeUnit.SECONDS);
            return new MonitorRun(code, out.toString(), err.toString(), port);
        }
    }
}
