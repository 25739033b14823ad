package dev.flat.cli.golden;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exchanges Wireshark's own dissectors see in a capture, in flat's terms. Every pairing comes
 * from Wireshark (tcp.stream, dns.response_to and dns.retransmit_request_in, icmp.resp_to); only
 * the choice of which request copy is measured follows flat's rule, the latest copy before the
 * answer (docs/testdata.md lists the deliberate differences).
 *
 * <p>UDP other than DNS is absent: Wireshark has no request/response notion for bare datagrams.
 */
final class WiresharkExchanges {
    // Fields shared by every query below, in this order after each query's own fields.
    private static final String[] ADDRESSES = {"ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.ttl", "ipv6.hlim"};

    private final Path capture;
    /** Frame number → capture time in ns; frame numbers start at 1. */
    private final long[] frameTimeNs;
    private final List<MeasuredExchange> exchanges = new ArrayList<>();

    private WiresharkExchanges(Path capture) {
        this.capture = capture;
        List<String[]> frames = Tshark.fields(capture, null, "frame.number", "frame.time_epoch");
        frameTimeNs = new long[frames.size() + 1];
        for (String[] f : frames) {
            frameTimeNs[Integer.parseInt(f[0])] = epochNanos(f[1]);
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
     * next SYN/ACK from the other side answers it, a RST refuses it. The retransmit count is the
     * number of copies Wireshark flags tcp.analysis.retransmission.
     */
    private void tcp() {
        List<String[]> rows = Tshark.fields(capture,
                "tcp && !icmp && !icmpv6 && (tcp.flags.syn == 1 || tcp.flags.reset == 1)",
                with("frame.number", "tcp.stream", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset",
                        "tcp.analysis.retransmission", "tcp.srcport", "tcp.dstport"));
        Map<String, List<String[]>> synsByStream = new HashMap<>();
        for (String[] r : rows) {
            boolean syn = r[2].equals("1"), ack = r[3].equals("1"), rst = r[4].equals("1");
            List<String[]> syns = synsByStream.computeIfAbsent(r[1], k -> new ArrayList<>());
            if (syn && !ack) {
                syns.add(r);
            } else if (!syns.isEmpty() && (syn || rst && ack) && source(r).equals(destination(syns.get(0)))) {
                // A closed port answers with RST+ACK (RFC 9293 section 3.10.7.1); a bare RST is not
                // an answer to a SYN.
                String[] request = syns.get(syns.size() - 1);
                int retransmits = (int) syns.stream().filter(s -> !s[5].isEmpty()).count();
                add("tcp", syn ? "answered" : "refused", request, Integer.parseInt(request[6]),
                        Integer.parseInt(request[7]), "", frame(request), frame(r), retransmits, ttl(r));
                syns.clear();
            }
        }
    }

    /**
     * dns.response_to names the first copy of the query; later copies name it in
     * dns.retransmit_request_in. The measured copy is the latest one before the response.
     */
    private void dns() {
        List<String[]> rows = Tshark.fields(capture, "udp.port == 53 && dns && !icmp && !icmpv6",
                with("frame.number", "dns.flags.response", "dns.id", "dns.response_to",
                        "dns.retransmit_request_in", "dns.retransmission", "udp.srcport", "udp.dstport"));
        Map<Integer, List<String[]>> copiesByFirstQuery = new HashMap<>();
        for (String[] r : rows) {
            if (r[1].equals("0")) {
                int first = r[4].isEmpty() ? frame(r) : Integer.parseInt(r[4]);
                copiesByFirstQuery.computeIfAbsent(first, k -> new ArrayList<>()).add(r);
            } else if (!r[3].isEmpty() && r[5].isEmpty()) {
                // A response Wireshark flags as a retransmission repeats an answer already paired.
                List<String[]> copies = copiesByFirstQuery.getOrDefault(Integer.parseInt(r[3]), List.of());
                List<String[]> before = copies.stream().filter(q -> frame(q) < frame(r)).toList();
                if (before.isEmpty()) {
                    continue;
                }
                String[] request = before.get(before.size() - 1);
                add("dns", "answered", request, Integer.parseInt(request[6]), Integer.parseInt(request[7]),
                        "id=" + Integer.decode(r[2]), frame(request), frame(r), before.size() - 1, ttl(r));
            }
        }
    }

    /** icmp.resp_to / icmpv6.resp_to: Wireshark's echo request for each echo reply. */
    private void icmp() {
        List<String[]> rows = Tshark.fields(capture,
                "(icmp.type == 0 && icmp.resp_to) || (icmpv6.type == 129 && icmpv6.resp_to)",
                with("frame.number", "icmp.resp_to", "icmpv6.resp_to", "icmp.ident", "icmp.seq",
                        "icmpv6.echo.identifier", "icmpv6.echo.sequence_number"));
        for (String[] r : rows) {
            boolean v4 = !r[1].isEmpty();
            int requestFrame = Integer.parseInt(v4 ? r[1] : r[2]);
            String tag = "id=" + Integer.decode(v4 ? r[3] : r[5]) + " seq=" + Integer.decode(v4 ? r[4] : r[6]);
            // The reply travels server → client: the request's source is the reply's destination.
            exchanges.add(new MeasuredExchange("icmp", "answered", destination(r), 0, source(r), 0, tag,
                    frameTimeNs[requestFrame], frameTimeNs[frame(r)] - frameTimeNs[requestFrame], 0, ttl(r)));
        }
    }

    private void add(String kind, String outcome, String[] request, int clientPort, int serverPort,
                     String tag, int requestFrame, int responseFrame, int retransmits, int ttl) {
        exchanges.add(new MeasuredExchange(kind, outcome, source(request), clientPort, destination(request),
                serverPort, tag, frameTimeNs[requestFrame], frameTimeNs[responseFrame] - frameTimeNs[requestFrame],
                retransmits, ttl));
    }

    /** A query's own fields followed by {@link #ADDRESSES}. */
    private static String[] with(String... own) {
        String[] all = new String[own.length + ADDRESSES.length];
        System.arraycopy(own, 0, all, 0, own.length);
        System.arraycopy(ADDRESSES, 0, all, own.length, ADDRESSES.length);
        return all;
    }

    private static int frame(String[] r) { return Integer.parseInt(r[0]); }

    private static String address(String[] r, int fromEnd4, int fromEnd6) {
        String v4 = r[r.length - fromEnd4];
        return MeasuredExchange.address(v4.isEmpty() ? r[r.length - fromEnd6] : v4);
    }

    private static String source(String[] r) { return address(r, 6, 4); }

    private static String destination(String[] r) { return address(r, 5, 3); }

    private static int ttl(String[] r) {
        String v4 = r[r.length - 2];
        return Integer.parseInt(v4.isEmpty() ? r[r.length - 1] : v4);
    }

    /** tshark prints frame.time_epoch with 9 decimals, zero-padded for microsecond files. */
    private static long epochNanos(String seconds) {
        return new BigDecimal(seconds).movePointRight(9).longValueExact();
    }
}
