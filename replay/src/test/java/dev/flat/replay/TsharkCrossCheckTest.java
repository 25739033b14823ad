package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Field-by-field comparison of every event with tshark's dissection of the same packet:
 * timestamp (exact, as tshark prints it to the nanosecond), addresses, ports or ICMP
 * identifier/sequence, TTL / hop limit, TCP flags and sequence numbers, UDP length, the Linux
 * cooked header's direction and the pcapng interface. IP fields are the innermost header's
 * ({@code -E occurrence=l}): a tunnel's inner packet is the event. Runs when
 * tshark is on PATH (CI installs it). The display filter selects exactly the packets flat turns
 * into events: ICMP errors (tshark also dissects the header they quote), Ethernet pseudowires
 * without a control word under MPLS (Wireshark guesses them, setting its hidden field
 * {@code pweth}; flat decodes only those with a control word, {@code pwethcw}) and frames with
 * more VLAN tags than flat walks are left out, as CorpusTest and docs/capture-formats.md explain.
 */
class TsharkCrossCheckTest {
    private static final String FILTER = "(tcp.flags.syn==1 || tcp.flags.reset==1 || udp || icmp.type==0 || icmp.type==8"
            + " || icmpv6.type==128 || icmpv6.type==129)"
            + " && !(icmp.type==3 || icmp.type==4 || icmp.type==5 || icmp.type==11 || icmp.type==12 || icmpv6.type<=4)"
            + " && !pweth && !(count(vlan.id) > " + FrameParser.MAX_VLAN_TAGS + ")";
    /** The link-layer and tunnel captures of testdata/encap (docs/testdata.md), from the module directory. */
    static final String ENCAP = "../testdata/encap/";
    private static final String[] FIELDS = {
        "frame.time_epoch", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "ip.ttl", "ipv6.hlim",
        "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw",
        "udp.srcport", "udp.dstport", "udp.length",
        "icmp.type", "icmp.ident", "icmp.seq", "icmpv6.type", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number",
        "sll.pkttype", "frame.interface_id"};

    @ParameterizedTest
    @ValueSource(strings = {"tcpreplay__test.pcap", "zeek__wikipedia.pcap", "PcapPlusPlus__raw_ip.pcap",
                            "tcpdump__tcp-handshake-nano.pcap", "zeek__pcapng-multi-interface.pcapng",
                            "PcapPlusPlus__many_interfaces-1.pcapng", "gopacket__test_loopback.pcap",
                            "zeek__http-qinq-0.pcap", "suricata-verify__decode-sll2-02_input.pcap",
                            ENCAP + "nflog.pcap", ENCAP + "vlan-live.pcap", ENCAP + "qinq-live.pcap", ENCAP + "mpls-live.pcap", ENCAP + "vlan.pcap", ENCAP + "mpls.pcap", ENCAP + "pppoe.pcap",
                            ENCAP + "ppp.pcap", ENCAP + "gre.pcap", ENCAP + "ipip.pcap", ENCAP + "wlan.pcap",
                            ENCAP + "radiotap.pcap"})
    void everyEventMatchesTshark(String name) throws Exception {
        if (!onPath("tshark") && "1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("tshark is not on PATH, but FLAT_REQUIRE_PRIVILEGED=1 (CI installs it)");
        }
        assumeTrue(onPath("tshark"), "tshark is not on PATH");
        Path file = name.startsWith(ENCAP) ? Path.of(name) : Corpus.file(name);
        List<String[]> rows = tshark(file);
        List<EventRecord> events = Corpus.events(file, new InputStats());
        assertEquals(rows.size(), events.size(), "events");
        for (int i = 0; i < rows.size(); i++) {
            compare(rows.get(i), events.get(i), name + " event " + i);
        }
    }

    private static void compare(String[] r, EventRecord e, String where) throws IOException {
        boolean v4 = e.ipVersion() == 4;
        assertEquals(r[0], epoch(e.tsNs()), where + " time");
        assertEquals(address(v4 ? r[1] : r[2]), hex(e, EventRecord.SADDR_OFFSET), where + " source");
        assertEquals(address(v4 ? r[3] : r[4]), hex(e, EventRecord.DADDR_OFFSET), where + " destination");
        assertEquals(Integer.parseInt(v4 ? r[5] : r[6]), e.ttl(), where + " ttl");
        if (!r[21].isEmpty()) { // Linux cooked capture: PACKET_OUTGOING (4) is egress, 0-3 ingress
            int packetType = Integer.parseInt(r[21]);
            Direction expected = packetType == 4 ? Direction.EGRESS : packetType <= 3 ? Direction.INGRESS : Direction.UNKNOWN;
            assertEquals(expected.code(), e.direction(), where + " direction");
        }
        if (!r[22].isEmpty()) { // pcapng: interface number + 1 (single-section files)
            assertEquals(Long.parseLong(r[22]) + 1, e.ifindex(), where + " ifindex");
        }
        switch (e.ipProto()) {
            case EventRecord.PROTO_TCP:
                assertEquals(Integer.parseInt(r[7]), e.sport(), where + " sport");
                assertEquals(Integer.parseInt(r[8]), e.dport(), where + " dport");
                assertEquals(Integer.decode(r[9]) & 0xFF, e.tcpFlags(), where + " flags");
                assertEquals(Long.parseLong(r[10]), e.tcpSeq(), where + " seq");
                assertEquals(Long.parseLong(r[11]), e.tcpAck(), where + " ack");
                break;
            case EventRecord.PROTO_UDP:
                assertEquals(Integer.parseInt(r[12]), e.sport(), where + " sport");
                assertEquals(Integer.parseInt(r[13]), e.dport(), where + " dport");
                assertEquals(Integer.parseInt(r[14]) - 8, e.payloadLen(), where + " payload length");
                break;
            case EventRecord.PROTO_ICMP:
                assertEquals(Integer.parseInt(r[15]), e.icmpType(), where + " type");
                assertEquals(Integer.parseInt(r[16]), e.sport(), where + " identifier");
                assertEquals(Integer.parseInt(r[17]), e.dport(), where + " sequence");
                break;
            default:
                assertEquals(EventRecord.PROTO_ICMPV6, e.ipProto(), where + " protocol");
                assertEquals(Integer.parseInt(r[18]), e.icmpType(), where + " type");
                assertEquals(Integer.decode(r[19]), e.sport(), where + " identifier"); // tshark prints it in hex
                assertEquals(Integer.decode(r[20]), e.dport(), where + " sequence");
        }
    }

    private static String epoch(long ns) {
        return String.format("%d.%09d", ns / 1_000_000_000L, ns % 1_000_000_000L);
    }

    /** tshark's text address as the 16-byte form flat stores (IPv4-mapped for IPv4). */
    private static String address(String text) throws IOException {
        byte[] a = InetAddress.getByName(text).getAddress(); // a literal: no name lookup
        byte[] mapped = new byte[16];
        if (a.length == 4) {
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(a, 0, mapped, 12, 4);
        } else {
            mapped = a;
        }
        return hex(mapped);
    }

    private static String hex(EventRecord e, int offset) {
        byte[] b = new byte[16];
        e.buffer().get(e.offset() + offset, b, 0, 16);
        return hex(b);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static List<String[]> tshark(Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-Y", FILTER,
                "-T", "fields", "-E", "occurrence=l", "-E", "separator=/t"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        Path out = Files.createTempFile("tshark", ".tsv");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tshark did not finish in 120 s");
            }
            assertEquals(0, p.exitValue(), "tshark exit status");
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String[] r = Arrays.copyOf(line.split("\t", -1), FIELDS.length);
                rows.add(r);
            }
            return rows;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
