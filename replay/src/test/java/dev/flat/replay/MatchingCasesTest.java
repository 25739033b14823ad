package dev.flat.replay;

import static dev.flat.replay.Frames.ethernet;
import static dev.flat.replay.Frames.ipv4;
import static dev.flat.replay.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Matcher;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.match.MatcherStats;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matching cases of docs/matching.md ("The cases behind the rules"), read from captures
 * through the real readers, parser and matcher. Times in comments are tshark's
 * {@code frame.time_epoch} of the committed testdata/match/match.pcap (recorded by
 * testdata/match/record-match.sh); WiresharkCrossCheckTest compares the whole file with
 * Wireshark, this test pins what each case must give.
 */
class MatchingCasesTest {
    private static final Path MATCH = Path.of("..", "testdata", "match", "match.pcap");

    /** What one analysis gives: the exchanges (copied), the matcher's and the reader's counters. */
    record Analysis(List<Exchange> exchanges, MatcherStats matcher, InputStats input) {
        Exchange dns(int id, int clientPort) {
            return exchanges.stream().filter(x -> x.kind == Kind.DNS && x.dnsId == id && x.clientPort == clientPort)
                    .reduce((a, b) -> { throw new AssertionError("two dns exchanges id " + id); })
                    .orElseThrow(() -> new AssertionError("no dns exchange id " + id + " port " + clientPort));
        }
    }

    static Analysis analyze(Path capture) throws IOException {
        List<Exchange> exchanges = new ArrayList<>();
        Matcher matcher = new Matcher(MatcherConfig.defaults(), x -> exchanges.add(x.copy()));
        InputStats input = new InputStats();
        try (EventSource source = Inputs.open(capture)) {
            source.drainTo(matcher, input);
        }
        matcher.finish();
        return new Analysis(exchanges, matcher.stats(), input);
    }

    @Test
    void ednsClientSubnetAndCookieChangeNothingInTheHeaderFlatReads() throws IOException {
        Analysis a = analyze(MATCH);
        // Frames 5 and 6: dig +subnet=192.0.2.0/24; the OPT record follows the question.
        assertEquals(262_304_536 - 262_159_881, a.dns(0x17b5, 47815).latencyNs);
        // Frames 10 and 11: +subnet=2001:db8::/48 +cookie over IPv6.
        assertEquals(315_267_809 - 315_151_731, a.dns(0x5dd6, 49852).latencyNs);
    }

    @Test
    void inverseQueryIsPairedLikeAnyOtherOpcode() throws IOException {
        // Frames 12 and 13: opcode 1 (IQUERY); dnsmasq refuses it, with the same id.
        assertEquals(350_902_855 - 350_784_517, analyze(MATCH).dns(0xbc16, 49680).latencyNs);
    }

    @Test
    void fragmentedAnswerIsTimedByItsFirstFragment() throws IOException {
        Analysis a = analyze(MATCH);
        // IPv4: query frame 14, first fragment 15 (UDP header and DNS id), last fragment 16 at
        // .393110419, where Wireshark dissects the reassembled answer.
        assertEquals(393_101_739 - 392_980_255, a.dns(0x5ace, 58639).latencyNs);
        // IPv6 (Fragment header): query 17, first fragment 18, last 19 at .430702826.
        assertEquals(430_681_573 - 430_513_628, a.dns(0xbb09, 52396).latencyNs);
        assertEquals(2, a.input().skipped(SkipReason.NON_FIRST_FRAGMENT));
    }

    @Test
    void quicHandshakeIsTheClientInitialAndTheServersFirstDatagram() throws IOException {
        Analysis a = analyze(MATCH);
        // Frames 71 (client Initial, 1200 bytes) and 72 (server Initial).
        Exchange initial = a.exchanges().stream()
                .filter(x -> x.kind == Kind.UDP && x.serverPort == 443).findFirst().orElseThrow();
        assertEquals(628_779_288 - 625_948_507, initial.latencyNs);
        assertEquals(42094, initial.clientPort);
    }

    @Test
    void sipAndWireguardKeepAlivesAreNeverPairedAsRequestAndAnswer() throws IOException {
        Analysis a = analyze(MATCH);
        List<Exchange> sip = a.exchanges().stream().filter(x -> x.serverPort == 5060).toList();
        // Frames 53-56: A's OPTIONS, B's OPTIONS sent before A's arrived, B's 200 answering A's,
        // A's 200 answering B's. Under the first-reply rule B's OPTIONS would have answered A's.
        assertEquals(4, sip.size());
        assertEquals(232_928_572 - 232_767_867, sip.get(0).latencyNs);
        assertEquals(234_181_978 - 232_881_135, sip.get(1).latencyNs);
        // REGISTER (57, resent as 58, answered by 59), INVITE answered 486 (60, 61); the ACK (62)
        // and both WireGuard keep-alives (69, 70) are ignored events.
        assertEquals(List.of(0, 0, 1, 0), sip.stream().map(x -> x.retransmits).toList());
        assertEquals(3, a.matcher().ignoredEvents());
        assertEquals(2, a.exchanges().stream().filter(x -> x.serverPort == 51820).count(),
                "the WireGuard handshake and the data exchange");
    }

    @Test
    void repeatedRequestsAreMeasuredFromTheLatestCopy() throws IOException {
        Analysis a = analyze(MATCH);
        List<Exchange> icmp = a.exchanges().stream().filter(x -> x.kind == Kind.ICMP).toList();
        // 30-33: id 19713 seq 1 twice, each answered before the next: two exchanges.
        // 34-36: id 19714, the first copy dropped, the second answered: one, retransmits 1.
        // 41-44: id 19715 twice 3.2 ms apart, both answered 5 ms late: the first answer is
        // measured from the second copy (as Wireshark's icmp.resp_to = 42), the second answer
        // finds nothing pending.
        assertEquals(List.of(19713, 19713, 19714, 19715), icmp.stream().map(x -> x.icmpId).toList());
        assertEquals(List.of(0, 0, 1, 1), icmp.stream().map(x -> x.retransmits).toList());
        assertEquals(106_171_025 - 106_134_857, icmp.get(2).latencyNs);
        assertEquals(970_974_792 - 968_720_178, icmp.get(3).latencyNs);
        assertEquals(1, a.matcher().unmatchedResponses(Kind.ICMP));
        // 45-48: UDP to the slow echo, two datagrams 1.3 ms apart before either echo: the first
        // echo is measured from the second datagram; the second echo, finding nothing pending,
        // becomes a request of the server's (unanswered at the end).
        Exchange udp = a.exchanges().stream().filter(x -> x.serverPort == 7790).findFirst().orElseThrow();
        assertEquals(569_717_172 - 565_658_078, udp.latencyNs);
        assertEquals(1, udp.retransmits);
        // 23-28: dig resends the query with the same id from a new port: two requests, each
        // answered by the slow server 1.3 s later.
        assertEquals(783_588_356 - 474_036_806 + 1_000_000_000L, a.dns(0x3a85, 49628).latencyNs);
        assertEquals(781_119_525 - 475_408_935 + 1_000_000_000L, a.dns(0x3a85, 53729).latencyNs);
    }

    /**
     * tcpdump's timestamp_invalid_nano.pcap: the SYN/ACK's nanosecond field is 10^9. flat adds it as
     * Wireshark does, as a whole second, and reports the 1.000000001 s handshake Wireshark reports,
     * with the packet counted as out of range and a warning that says so.
     */
    @Test
    void nanosecondFieldOfASecondIsCarriedAsWiresharkCarriesIt() throws IOException {
        Analysis a = analyze(Corpus.file("tcpdump__timestamp_invalid_nano.pcap"));
        assertEquals(1, a.exchanges().size());
        assertEquals(1_000_000_001L, a.exchanges().get(0).latencyNs);
        assertEquals(1, a.input().timestampsOutOfRange());
        assertEquals(0, a.input().skippedTotal() - a.input().skipped(SkipReason.NOT_RELEVANT));
        assertEquals(0, a.matcher().unanswered(Kind.TCP));
    }

    /**
     * One DNS exchange among every odd block of pcapng (the pcapng-test-generator suite has them
     * all, but no exchange): a name resolution block, custom blocks that may and may not be
     * copied, an interface statistics block, a decryption secrets block, a block type nobody
     * defines, a simple packet block (no timestamp), and the answer in a second section of the
     * other byte order whose interface counts microseconds instead of nanoseconds.
     */
    @Test
    void singleExchangeAmongOddPcapngBlocks(@TempDir Path dir) throws IOException {
        byte[] query = ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_UDP,
                udp(40000, 53, dnsHeader(0x0100))));
        byte[] answer = swapAddresses(ethernet(FrameParser.ETHERTYPE_IPV4, ipv4(EventRecord.PROTO_UDP,
                udp(53, 40000, dnsHeader(0x8180)))));
        CaptureWriter w = new CaptureWriter(ByteOrder.LITTLE_ENDIAN);
        w.shb(ByteOrder.LITTLE_ENDIAN, 1, 0, w.option(4, "flat test".getBytes()))
                .idb(1, 65535, w.option(9, new byte[] {9}))                 // if_tsresol: ns
                // NRB: an IPv4 record (10.0.0.2 "ns"), then nrb_record_end
                .block(4, new byte[] {1, 0, 7, 0, 10, 0, 0, 2, 'n', 's', 0, 0, 0, 0, 0, 0})
                .block(0x0BAD, new byte[] {0x11, 0x22, 0x33, 0x44, 'c', 'b', 0, 0})     // custom, copy
                .block(0x40000BAD, new byte[] {0x11, 0x22, 0x33, 0x44})              // custom, no copy
                .block(0x0A, new byte[] {0x4b, 0x53, 0x4c, 0x54, 0, 0, 0, 0})         // DSB, empty TLS keys
                .block(0x7777, new byte[] {1, 2, 3, 4})                              // undefined type
                .spb(query.length, query)                                            // no timestamp
                .epb(0, 1_700_000_000_000_000_000L, query)
                .block(5, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});          // ISB
        w.shb(ByteOrder.BIG_ENDIAN, 1, 0)
                .idb(1, 65535)                                                       // µs
                .epb(0, 1_700_000_000_000_250L, answer);
        Path file = dir.resolve("odd-blocks.pcapng");
        Files.write(file, w.bytes());

        Analysis a = analyze(file);
        assertEquals(1, a.exchanges().size());
        assertEquals(250_000, a.exchanges().get(0).latencyNs);
        assertEquals(0x1234, a.exchanges().get(0).dnsId);
        assertEquals(1, a.input().skipped(SkipReason.NO_TIMESTAMP));
        assertEquals(List.of(), a.input().warnings(), "every block is valid pcapng");
        assertEquals(1, a.matcher().requests(Kind.DNS), "the timestamp-less copy is no request");
        assertEquals(0, a.matcher().retransmits(Kind.DNS));
    }

    /** A DNS header with id 0x1234, these flags and one question counted (none follows). */
    private static byte[] dnsHeader(int flags) {
        return new byte[] {0x12, 0x34, (byte) (flags >>> 8), (byte) flags, 0, 1, 0, 0, 0, 0, 0, 0};
    }

    private static byte[] swapAddresses(byte[] frame) {
        int ip = 14;
        for (int i = 0; i < 4; i++) {
            byte b = frame[ip + 12 + i];
            frame[ip + 12 + i] = frame[ip + 16 + i];
            frame[ip + 16 + i] = b;
        }
        return frame;
    }
}
