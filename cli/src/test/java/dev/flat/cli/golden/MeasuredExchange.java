package dev.flat.cli.golden;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An exchange reduced to what two independent tools can both state about it, in a form that
 * compares exactly: addresses normalised through {@link InetAddress} (so "fd77::2" from flat and
 * from tshark are the same text), times in integer nanoseconds since the epoch.
 *
 * @param tag per-kind identity: "id=N" for dns, "id=N seq=M" for icmp, "" for tcp
 */
record MeasuredExchange(String kind, String outcome, String client, int clientPort, String server,
                        int serverPort, String tag, long requestNs, long latencyNs, int retransmits,
                        int ttl) {

    /** By request time, then by the rest: a stable order for both sides of a comparison. */
    static final Comparator<MeasuredExchange> ORDER =
            Comparator.comparingLong(MeasuredExchange::requestNs).thenComparing(MeasuredExchange::toString);

    /** Canonical text of a literal IPv4 or IPv6 address; never a name lookup (literals only). */
    static String address(String literal) {
        if (literal == null || literal.isEmpty() || !literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address literal: '" + literal + "'");
        }
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: '" + literal + "'", e);
        }
    }

    /** One exchange per line: compared as text, a mismatch shows as a line diff. */
    static String lines(List<MeasuredExchange> exchanges) {
        return exchanges.stream().map(MeasuredExchange::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    /** One line for assertion messages: a failed comparison shows as a readable diff. */
    @Override
    public String toString() {
        return String.format("%s %s %s:%d -> %s:%d %s t=%d latency=%dns retransmits=%d ttl=%d",
                kind, outcome, client, clientPort, server, serverPort, tag, requestNs, latencyNs,
                retransmits, ttl);
    }
}
