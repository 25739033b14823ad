package dev.flat.cli.golden;

import dev.flat.cli.golden.Tshark.Row;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The exchanges Wireshark's own dissectors see in a capture, in flat's terms. Every pairing comes
 * from Wireshark (tcp.stream, dns.response_to and dns.retransmit_request_in, icmp.resp_to); only
 * the choice of which request copy is measured follows flat's rule, the latest copy before the
 * answer (docs/testdata.md). Where flat deliberately sees a frame differently (MPLS, invalid
 * timestamps), the exchange is still listed, with what {@link DeliberateDifference} needs to
 * recognise it.
 *
 * <p>UDP other than DNS is absent: Wireshark has no request/response notion for bare datagrams.
 */
final class WiresharkExchanges {
    /** Asked for every frame of every query: endpoints and the TTL/hop limit. */
    private static final String[] ADDRESSES = {"ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.ttl", "ipv6.hlim",
                                               "frame.protocols"};

    /**
     * One exchange as Wireshark pairs it.
     *
     * @param protocols the request's and the response's frame.protocols, joined by a space
     */
    record Seen(MeasuredExchange exchange, int requestFrame, int responseFrame, String protocols) {}

    private final Path capture;
    /** Frame number → capture time in ns modulo 2^64, as flat keeps it; tshark numbers frames 1, 2, 3... */
    private final long[] frameTimeNs;
    private final String[] frameProtocols;
    /** The error that made tshark stop reading early (a file cut short...), or null. */
    private final String readError;
    private final List<Seen> exchanges = new ArrayList<>();

    private WiresharkExchanges(Path capture) {
        this.capture = capture;
        Tshark.Output frames = Tshark.read(capture, null, "frame.number", "frame.time_epoch", "frame.protocols");
        readError = frames.readError();
        frameTimeNs = new long[frames.rows().size() + 1];
        frameProtocols = new String[frames.rows().size() + 1];
        for (Row f : frames.rows()) {
            int n = f.integer("frame.number");
            frameTimeNs[n] = epochNanos(f.get("frame.time_epoch"));
            frameProtocols[n] = f.get("frame.protocols");
        }
    }

    /** Wireshark's exchanges in a capture, also those flat deliberately does not report. */
    static WiresharkExchanges read(Path capture) {
        WiresharkExchanges w = new WiresharkExchanges(capture);
        w.tcp();
        w.dns();
        w.icmp();
        w.exchanges.sort(Comparator.comparing(Seen::exchange, MeasuredExchange.ORDER));
        return w;
    }

    /**
     * The exchanges flat must report exactly: all of {@link #read}, for a capture in which no
     * deliberate difference applies (the lab's); any that does fails the caller's test.
     */
    static List<MeasuredExchange> of(Path capture) {
        WiresharkExchanges w = read(capture);
        if (w.readError != null) {
            throw new AssertionError("tshark cannot read all of " + capture + ": " + w.readError);
        }
        for (Seen s : w.exchanges) {
            DeliberateDifference d = DeliberateDifference.explaining(s);
            if (d != null) {
                throw new AssertionError(capture + ": " + s.exchange() + " falls under " + d);
            }
        }
        return w.exchanges.stream().map(Seen::exchange).toList();
    }

    List<Seen> exchanges() { return exchanges; }

    /** Why tshark stopped before the end of the file, or null when it read it all. */
    String readError() { return readError; }

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
                add("tcp", syn ? "answered" : "refused", request, r, frame(r), "tcp", "", retransmits);
                syns.clear();
            }
        }
    }

    /**
     * dns.response_to names the first copy of the query; later copies name it in
     * dns.retransmit_request_in. The measured copy is the latest one before the response. A
     * response Wireshark flags dns.retransmission repeats an answer already paired. A response
     * in IP fragments is dissected in the frame of its last fragment; flat (and the probe, which
     * cannot reassemble) time it by its first, which carries the DNS header.
     */
    private void dns() {
        List<Row> rows = query("udp.port == 53 && dns && !icmp && !icmpv6",
                "dns.flags.response", "dns.id", "dns.response_to", "dns.retransmit_request_in",
                "dns.retransmission", "udp.srcport", "udp.dstport", "ip.fragment", "ipv6.fragment");
        Map<Integer, List<Row>> copiesByFirstQuery = new HashMap<>();
        for (Row r : rows) {
            if (r.get("dns.flags.response").equals("0")) {
                int first = r.has("dns.retransmit_request_in") ? r.integer("dns.retransmit_request_in") : frame(r);
                copiesByFirstQuery.computeIfAbsent(first, k -> new ArrayList<>()).add(r);
            } else if (r.has("dns.response_to") && !r.has("dns.retransmission")) {
                List<Row> before = copiesByFirstQuery.getOrDefault(r.integer("dns.response_to"), List.of())
                        .stream().filter(q -> frame(q) < frame(r)).toList();
                if (!before.isEmpty()) {
                    add("dns", "answered", before.get(before.size() - 1), r, firstFragment(r), "udp",
                            "id=" + r.integer("dns.id"), before.size() - 1);
                }
            }
        }
    }

    /**
     * icmp.resp_to / icmpv6.resp_to: Wireshark's echo request for each echo reply. The copies of
     * that request are the requests with the same endpoints, identifier and sequence since the
     * key's previous reply; as for DNS, the measured copy is the latest one before the reply.
     */
    private void icmp() {
        List<Row> rows = query("icmp.type == 8 || icmp.type == 0 || icmpv6.type == 128 || icmpv6.type == 129",
                "icmp.type", "icmp.resp_to", "icmp.ident", "icmp.seq",
                "icmpv6.type", "icmpv6.resp_to", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number");
        Map<String, List<Integer>> copiesByKey = new HashMap<>();
        for (Row r : rows) {
            boolean v4 = r.has("icmp.type");
            int type = r.integer(v4 ? "icmp.type" : "icmpv6.type");
            if (type != 8 && type != 0 && type != 128 && type != 129) {
                continue; // an ICMP error that quotes an echo: the filter matched the quoted one
            }
            String tag = v4
                    ? "id=" + r.integer("icmp.ident") + " seq=" + r.integer("icmp.seq")
                    : "id=" + r.integer("icmpv6.echo.identifier") + " seq=" + r.integer("icmpv6.echo.sequence_number");
            if (type == 8 || type == 128) {
                copiesByKey.computeIfAbsent(source(r) + " " + destination(r) + " " + tag, k -> new ArrayList<>())
                        .add(frame(r));
                continue;
            }
            String respTo = v4 ? "icmp.resp_to" : "icmpv6.resp_to";
            if (!r.has(respTo)) {
                continue;
            }
            // The reply travels server → client: the request's source is the reply's destination.
            List<Integer> copies = copiesByKey.remove(destination(r) + " " + source(r) + " " + tag);
            int paired = r.integer(respTo);
            boolean pairedIsACopy = copies != null && copies.contains(paired);
            int requestFrame = pairedIsACopy ? copies.get(copies.size() - 1) : paired;
            int retransmits = pairedIsACopy ? copies.size() - 1 : 0;
            record(new MeasuredExchange("icmp", "answered", destination(r), 0, source(r), 0, tag,
                    frameTimeNs[requestFrame], frameTimeNs[frame(r)] - frameTimeNs[requestFrame], retransmits,
                    ttl(r)), requestFrame, frame(r));
        }
    }

    /**
     * An exchange whose request is a frame of this query (so its ports are known), timed at the
     * response frame {@code responseFrame}: the response row's own, or its first fragment's.
     */
    private void add(String kind, String outcome, Row request, Row response, int responseFrame, String transport,
                     String tag, int retransmits) {
        long requestNs = frameTimeNs[frame(request)];
        record(new MeasuredExchange(kind, outcome, source(request), request.integer(transport + ".srcport"),
                destination(request), request.integer(transport + ".dstport"), tag, requestNs,
                frameTimeNs[responseFrame] - requestNs, retransmits, ttl(response)), frame(request), responseFrame);
    }

    /** The frame of a reassembled datagram's first fragment (ip.fragment lists them in order). */
    private static int firstFragment(Row r) {
        String first = r.has("ip.fragment") ? r.first("ip.fragment") : r.first("ipv6.fragment");
        return first.isEmpty() ? frame(r) : Integer.parseInt(first);
    }

    private void record(MeasuredExchange x, int requestFrame, int responseFrame) {
        exchanges.add(new Seen(x, requestFrame, responseFrame,
                frameProtocols[requestFrame] + " " + frameProtocols[responseFrame]));
    }

    /** The rows of the frames tshark read; a read error was recorded by the first query. */
    private List<Row> query(String displayFilter, String... fields) {
        String[] all = Stream.of(new String[] {"frame.number"}, fields, ADDRESSES)
                .flatMap(Stream::of).toArray(String[]::new);
        return Tshark.read(capture, displayFilter, all).rows();
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
     * protocol chain (an IPv6-in-IPv4 tunnel has both, and the inner one is the exchange's, as
     * Tshark's occurrence=l fields are).
     */
    private static boolean innerIpv6(Row r) {
        String chain = ":" + r.get("frame.protocols") + ":";
        return chain.lastIndexOf(":ipv6:") > chain.lastIndexOf(":ip:");
    }

    /**
     * tshark prints frame.time_epoch as the seconds, a point and the nanoseconds field zero-padded
     * to 9 digits, without normalising it: a field of 10^9 or more (a corrupt pcap record) shows
     * as 10 digits ("1418145370.1000000000" is 1418145371 s), and a pcapng time past 2262 as
     * seconds beyond flat's clock. Both are taken as Wireshark adds them, seconds * 10^9 plus the
     * field, modulo 2^64: the number flat keeps for such a time (PacketTime.OUT_OF_RANGE).
     */
    static long epochNanos(String time) {
        if (time.isEmpty()) {
            return 0; // a frame without a time (pcapng simple packet block): flat measures nothing from it
        }
        boolean negative = time.startsWith("-");
        String unsigned = negative ? time.substring(1) : time;
        int point = unsigned.indexOf('.');
        BigInteger seconds = new BigInteger(point < 0 ? unsigned : unsigned.substring(0, point));
        BigInteger field = point < 0 ? BigInteger.ZERO : new BigInteger(unsigned.substring(point + 1));
        BigInteger ns = seconds.multiply(BigInteger.valueOf(1_000_000_000L)).add(field);
        return (negative ? ns.negate() : ns).longValue(); // the low 64 bits: modulo 2^64
    }
}
