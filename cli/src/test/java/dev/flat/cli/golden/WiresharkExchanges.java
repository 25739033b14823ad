package dev.flat.cli.golden;

import dev.flat.cli.golden.Tshark.Row;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The exchanges Wireshark's own dissectors see in a capture, in flat's terms. Every pairing comes
 * from Wireshark (tcp.stream, dns.response_to and dns.retransmit_request_in, icmp.resp_to); only
 * the choice of which request copy is measured follows flat's rule, the latest copy before the
 * answer (docs/testdata.md lists the deliberate differences).
 *
 * <p>UDP other than DNS is absent: Wireshark has no request/response notion for bare datagrams.
 */
final class WiresharkExchanges {
    /** Asked for every frame of every query: endpoints and the TTL/hop limit. */
    private static final String[] ADDRESSES = {"ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.ttl", "ipv6.hlim",
                                               "frame.protocols"};

    /**
     * MPLS: the label stack does not say what it carries (RFC 3032 section 2.1 leaves that to the
     * label's binding, which a passive observer never sees). flat, like the kernel's MPLS router,
     * takes IPv4 or IPv6 from the first nibble after the bottom label and counts anything else as
     * not IP; Wireshark also guesses Ethernet pseudowires, with or without a control word.
     * Exchanges with a frame in such a pseudowire are left out of the comparison
     * (tcpreplay__test.pcap has 5 such echo exchanges).
     */
    private static final String NOT_DECODED_BY_FLAT = ":mpls:pweth";

    private final Path capture;
    /** Frame number → capture time in ns; tshark numbers frames 1, 2, 3... */
    private final long[] frameTimeNs;
    /** Frame number → whether flat does not decode the frame's encapsulation. */
    private final boolean[] notDecodedByFlat;
    private final List<MeasuredExchange> exchanges = new ArrayList<>();

    private WiresharkExchanges(Path capture) {
        this.capture = capture;
        List<Row> frames = Tshark.fields(capture, null, "frame.number", "frame.time_epoch", "frame.protocols");
        frameTimeNs = new long[frames.size() + 1];
        notDecodedByFlat = new boolean[frames.size() + 1];
        for (Row f : frames) {
            int n = f.integer("frame.number");
            frameTimeNs[n] = epochNanos(f.get("frame.time_epoch"));
            notDecodedByFlat[n] = (":" + f.get("frame.protocols") + ":").contains(NOT_DECODED_BY_FLAT);
        }
    }

    static List<MeasuredExchange> of(Path capture) {
        WiresharkExchanges w = new WiresharkExchanges(capture);
        w.tcp();
        w.dns();
        w.icmp();
        w.exchanges.sort(MeasuredExchange.ORDER);
        return w.exchanges;
    }

    /**
     * Per tcp.stream: the SYNs (without ACK) since the last answer are one request's copies; the
     * next SYN/ACK from the other side answers it, a RST+ACK refuses it (a closed port's answer,
     * RFC 9293 section 3.10.7.1; a bare RST answers no SYN). The retransmit count is the number of
     * copies Wireshark flags tcp.analysis.retransmission.
     */
    private void tcp() {
        List<Row> rows = query("tcp && !icmp && !icmpv6 && (tcp.flags.syn == 1 || tcp.flags.reset == 1)",
                "tcp.stream", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset", "tcp.analysis.retransmission",
                "tcp.srcport", "tcp.dstport");
        Map<String, List<Row>> synsByStream = new HashMap<>();
        for (Row r : rows) {
            boolean syn = r.get("tcp.flags.syn").equals("1");
            boolean ack = r.get("tcp.flags.ack").equals("1");
            boolean rst = r.get("tcp.flags.reset").equals("1");
            List<Row> syns = synsByStream.computeIfAbsent(r.get("tcp.stream"), k -> new ArrayList<>());
            if (syn && !ack) {
                syns.add(r);
            } else if (!syns.isEmpty() && (syn || rst && ack) && source(r).equals(destination(syns.get(0)))) {
                Row request = syns.get(syns.size() - 1);
                int retransmits = (int) syns.stream().filter(s -> s.has("tcp.analysis.retransmission")).count();
                add("tcp", syn ? "answered" : "refused", request, r, "tcp", "", retransmits);
                syns.clear();
            }
        }
    }

    /**
     * dns.response_to names the first copy of the query; later copies name it in
     * dns.retransmit_request_in. The measured copy is the latest one before the response. A
     * response Wireshark flags dns.retransmission repeats an answer already paired.
     */
    private void dns() {
        List<Row> rows = query("udp.port == 53 && dns && !icmp && !icmpv6",
                "dns.flags.response", "dns.id", "dns.response_to", "dns.retransmit_request_in",
                "dns.retransmission", "udp.srcport", "udp.dstport");
        Map<Integer, List<Row>> copiesByFirstQuery = new HashMap<>();
        for (Row r : rows) {
            if (r.get("dns.flags.response").equals("0")) {
                int first = r.has("dns.retransmit_request_in") ? r.integer("dns.retransmit_request_in") : frame(r);
                copiesByFirstQuery.computeIfAbsent(first, k -> new ArrayList<>()).add(r);
            } else if (r.has("dns.response_to") && !r.has("dns.retransmission")) {
                List<Row> before = copiesByFirstQuery.getOrDefault(r.integer("dns.response_to"), List.of())
                        .stream().filter(q -> frame(q) < frame(r)).toList();
                if (!before.isEmpty()) {
                    add("dns", "answered", before.get(before.size() - 1), r, "udp", "id=" + r.integer("dns.id"),
                            before.size() - 1);
                }
            }
        }
    }

    /** icmp.resp_to / icmpv6.resp_to: Wireshark's echo request for each echo reply. */
    private void icmp() {
        List<Row> rows = query("(icmp.type == 0 && icmp.resp_to) || (icmpv6.type == 129 && icmpv6.resp_to)",
                "icmp.resp_to", "icmp.ident", "icmp.seq",
                "icmpv6.resp_to", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number");
        for (Row r : rows) {
            boolean v4 = r.has("icmp.resp_to");
            int requestFrame = r.integer(v4 ? "icmp.resp_to" : "icmpv6.resp_to");
            String tag = v4
                    ? "id=" + r.integer("icmp.ident") + " seq=" + r.integer("icmp.seq")
                    : "id=" + r.integer("icmpv6.echo.identifier") + " seq=" + r.integer("icmpv6.echo.sequence_number");
            // The reply travels server → client: the request's source is the reply's destination.
            record(new MeasuredExchange("icmp", "answered", destination(r), 0, source(r), 0, tag,
                    frameTimeNs[requestFrame], frameTimeNs[frame(r)] - frameTimeNs[requestFrame], 0, ttl(r)),
                    requestFrame, frame(r));
        }
    }

    /** An exchange whose request is a frame of this query (so its ports are known). */
    private void add(String kind, String outcome, Row request, Row response, String transport, String tag,
                     int retransmits) {
        long requestNs = frameTimeNs[frame(request)];
        record(new MeasuredExchange(kind, outcome, source(request), request.integer(transport + ".srcport"),
                destination(request), request.integer(transport + ".dstport"), tag, requestNs,
                frameTimeNs[frame(response)] - requestNs, retransmits, ttl(response)), frame(request), frame(response));
    }

    private void record(MeasuredExchange x, int requestFrame, int responseFrame) {
        if (!notDecodedByFlat[requestFrame] && !notDecodedByFlat[responseFrame]) {
            exchanges.add(x);
        }
    }

    private List<Row> query(String displayFilter, String... fields) {
        String[] all = Stream.of(new String[] {"frame.number"}, fields, ADDRESSES)
                .flatMap(Stream::of).toArray(String[]::new);
        return Tshark.fields(capture, displayFilter, all);
    }

    private static int frame(Row r) { return r.integer("frame.number"); }

    private static String source(Row r) {
        return MeasuredExchange.address(r.get(innerIpv6(r) ? "ipv6.src" : "ip.src"));
    }

    private static String destination(Row r) {
        return MeasuredExchange.address(r.get(innerIpv6(r) ? "ipv6.dst" : "ip.dst"));
    }

    private static int ttl(Row r) { return r.integer(innerIpv6(r) ? "ipv6.hlim" : "ip.ttl"); }

    /**
     * Whether the innermost IP header is IPv6: the later of "ip" and "ipv6" in the frame's
     * protocol chain (an IPv6-in-IPv4 tunnel has both, and the inner one is the exchange's).
     */
    private static boolean innerIpv6(Row r) {
        String chain = ":" + r.get("frame.protocols") + ":";
        return chain.lastIndexOf(":ipv6:") > chain.lastIndexOf(":ip:");
    }

    /** tshark prints frame.time_epoch with 9 decimals, zero-padded for microsecond files. */
    private static long epochNanos(String seconds) {
        try {
            return new BigDecimal(seconds).movePointRight(9).longValueExact();
        } catch (ArithmeticException e) {
            throw new AssertionError("frame time " + seconds + " s is past flat's 64-bit nanosecond clock", e);
        }
    }
}
