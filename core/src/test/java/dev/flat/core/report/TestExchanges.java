package dev.flat.core.report;

import dev.flat.core.event.Direction;
import dev.flat.core.match.Exchange;
import dev.flat.core.match.Kind;
import dev.flat.core.match.Outcome;

/** Hand-built exchanges for the report tests. */
final class TestExchanges {
    static final long T0 = 1_714_564_800_123_456_789L; // 2024-05-01T12:00:00.123456789Z

    private TestExchanges() {}

    static Exchange of(Kind kind, String client, int clientPort, String server, int serverPort, long latencyNs) {
        Exchange e = new Exchange();
        Address128 c = AddressText.parse(client);
        Address128 s = AddressText.parse(server);
        e.kind = kind;
        e.outcome = Outcome.ANSWERED;
        e.requestTimeNs = T0;
        e.latencyNs = latencyNs;
        e.clientHi = c.hi();
        e.clientLo = c.lo();
        e.serverHi = s.hi();
        e.serverLo = s.lo();
        e.clientPort = clientPort;
        e.serverPort = serverPort;
        e.dnsId = -1;
        e.responseTtl = 64;
        e.direction = Direction.EGRESS;
        e.ifindex = 1;
        e.tsDigits = 9;
        return e;
    }

    static Exchange tcp(long latencyNs) {
        return of(Kind.TCP, "10.0.0.1", 40000, "10.0.0.2", 80, latencyNs);
    }
}
