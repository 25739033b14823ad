package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.S;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.dnsQuery;
import static dev.flat.core.match.Events.echo;
import static dev.flat.core.match.Events.syn;
import static dev.flat.core.match.Events.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ExchangeListener#onUnanswered}: one call per request counted unanswered, with its time and server. */
class MatcherUnansweredTest {
    private record Call(Kind kind, long timeNs, long serverHi, long serverLo, int serverPort, int retransmits) {}

    private final List<Call> calls = new ArrayList<>();
    private final Matcher matcher = new Matcher(new MatcherConfig(S, 16, EnumSet.allOf(Kind.class)),
            new ExchangeListener() {
                @Override
                public void onExchange(Exchange exchange) { }

                @Override
                public void onUnanswered(Kind kind, long requestTimeNs, long serverHi, long serverLo, int serverPort,
                                         int retransmits) {
                    calls.add(new Call(kind, requestTimeNs, serverHi, serverLo, serverPort, retransmits));
                }
            });

    @Test
    void expiredAndLeftOverRequestsAreReportedWithTheirLatestCopysTime() {
        matcher.onEvent(syn("10.0.0.1", 40000, "10.0.0.2", 443, 7, T0));
        matcher.onEvent(syn("10.0.0.1", 40000, "10.0.0.2", 443, 7, T0 + 200 * MS)); // a retransmit
        matcher.onEvent(dnsQuery("10.0.0.1", 5353, "10.0.0.53", 0x1234, T0 + 300 * MS));
        matcher.onEvent(udp("10.0.0.1", 1, "10.0.0.3", 2, T0 + 1250 * MS)); // expires the SYN (waited 1.05 s > 1 s)
        assertEquals(List.of(new Call(Kind.TCP, T0 + 200 * MS, Events.hi("10.0.0.2"), Events.lo("10.0.0.2"), 443, 1)),
                calls);
        matcher.onEvent(echo("10.0.0.1", "10.0.0.4", 8, 77, 3, T0 + 1600 * MS));
        matcher.finish(); // the echo expired the query; the rest is unanswered at the end, oldest first
        assertEquals(List.of(
                new Call(Kind.TCP, T0 + 200 * MS, Events.hi("10.0.0.2"), Events.lo("10.0.0.2"), 443, 1),
                new Call(Kind.DNS, T0 + 300 * MS, Events.hi("10.0.0.53"), Events.lo("10.0.0.53"), 53, 0),
                new Call(Kind.UDP, T0 + 1250 * MS, Events.hi("10.0.0.3"), Events.lo("10.0.0.3"), 2, 0),
                new Call(Kind.ICMP, T0 + 1600 * MS, Events.hi("10.0.0.4"), Events.lo("10.0.0.4"), 0, 0)), calls,
                "icmp has no server port: 0, as in the summary's server key");
        for (Kind k : Kind.values()) {
            assertEquals(matcher.stats().unanswered(k), calls.stream().filter(c -> c.kind() == k).count(), k.label());
        }
    }
}
