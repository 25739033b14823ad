package dev.flat.bench;

import dev.flat.core.match.Kind;
import java.util.SplittableRandom;

/**
 * One conversation between a client and a server, planned up front as a script of steps (what
 * to send, which way, how long after the previous step) and then played one step at a time by
 * the generator. A slot of the generator reuses one instance for conversation after
 * conversation, so generating allocates nothing per packet.
 *
 * <p>Timings follow the protocols' own clocks: TCP retransmits an unanswered SYN after the
 * initial RTO of one second, doubling (RFC 6298 section 2 and 5.5); a stub resolver resends a
 * query with the same id after one second; ping sends one echo request per second.
 */
final class Conversation {
    static final int MAX_STEPS = 256;

    // Steps. "C_" is sent by the client, "S_" by the server.
    static final int TCP_SYN = 1;
    static final int TCP_SYN_ACK = 2;
    static final int TCP_REFUSE = 3;          // RST|ACK answering the SYN: port closed
    static final int TCP_C_ACK = 4;
    static final int TCP_C_DATA = 5;
    static final int TCP_S_DATA = 6;
    static final int TCP_C_FIN = 7;
    static final int TCP_S_FIN = 8;
    static final int TCP_C_ABORT = 9;         // RST|ACK from the client tearing down an open connection
    static final int DNS_QUERY = 10;
    static final int DNS_RESPONSE = 11;
    static final int UDP_REQUEST = 12;
    static final int UDP_REPLY = 13;
    static final int ECHO_REQUEST = 14;
    static final int ECHO_REPLY = 15;

    /** Segment payload with a 1500-byte MTU: minus IP (20 or 40), TCP (20) and timestamps (12). */
    static int mss(boolean ipv6) { return ipv6 ? 1428 : 1448; }
    static final long SECOND = 1_000_000_000L;
    private static final long MICROSECOND = 1_000L;
    private static final long MILLISECOND = 1_000_000L;
    private static final int[] UDP_SERVICE_PORTS = {123, 161, 1812, 3478, 5683}; // NTP SNMP RADIUS STUN CoAP
    private static final int MAX_SEGMENTS_PER_RESPONSE = 32;
    // What becomes of a DNS query.
    private static final int ANSWERED = 0;
    private static final int LOST = 1;
    private static final int RESENT = 2;

    Kind kind;
    boolean ipv6;
    int client;
    int server;
    int clientPort;
    int serverPort;
    /** Next sequence number each side sends (32-bit, kept in a long). */
    long clientSeq;
    long serverSeq;
    /** DNS: the ids and query types of the (one or two) queries; the name is made from nameNumber. */
    final int[] dnsId = new int[2];
    final int[] dnsType = new int[2];
    int nameNumber;

    // The script: op, a per-op argument (a size, a query index, a sequence number), the copy
    // number of a request (0 = first) or the retransmits an answer closes, and the gap before it.
    final int[] op = new int[MAX_STEPS];
    final int[] arg = new int[MAX_STEPS];
    final int[] copies = new int[MAX_STEPS];
    final long[] delayNs = new long[MAX_STEPS];
    int steps;
    int next;

    boolean done() { return next >= steps; }

    /** Plans conversation number n; the client endpoint (address, port) is unique per n. */
    void plan(long n, SplittableRandom rng) {
        steps = 0;
        next = 0;
        client = HostTable.client((int) n);
        // 28 232 ephemeral ports (Linux ip_local_port_range 32768-60999) times 4096 clients:
        // an endpoint recurs only after 115 M conversations, so no two flows ever collide.
        clientPort = 32768 + (int) ((n / HostTable.CLIENTS) % 28232);
        ipv6 = rng.nextInt(100) < 30;
        long rtt = logUniform(rng, 100 * MICROSECOND, 80 * MILLISECOND);
        int k = rng.nextInt(100);
        if (k < 40) {
            planTcp(rng, rtt);
        } else if (k < 80) {
            planDns(rng, rtt);
        } else if (k < 92) {
            planUdp(rng, rtt);
        } else {
            planPing(rng, rtt);
        }
    }

    private void planTcp(SplittableRandom rng, long rtt) {
        kind = Kind.TCP;
        server = HostTable.server(rng.nextInt(HostTable.SERVERS));
        serverPort = rng.nextInt(4) == 0 ? 80 : 443;
        clientSeq = rng.nextLong() & 0xFFFF_FFFFL;
        serverSeq = rng.nextLong() & 0xFFFF_FFFFL;
        int p = rng.nextInt(1000);
        int synCopies = p < 30 ? 2 : p < 35 ? 3 : 1;
        for (int i = 0; i < synCopies; i++) {
            add(TCP_SYN, 0, i, i == 0 ? 0 : SECOND << (i - 1));
        }
        int outcome = rng.nextInt(1000);
        if (outcome < 5) {
            return;                                   // filtered port: no answer at all
        }
        if (outcome < 25) {
            add(TCP_REFUSE, 0, synCopies - 1, rtt);
            return;
        }
        add(TCP_SYN_ACK, 0, synCopies - 1, rtt);
        add(TCP_C_ACK, 0, 0, 30 * MICROSECOND);
        int rounds = 1 + rng.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            add(TCP_C_DATA, 60 + rng.nextInt(640), 0, r == 0 ? 20 * MICROSECOND : logUniform(rng, MILLISECOND, 200 * MILLISECOND));
            int mss = mss(ipv6);
            int bytes = Math.min(responseBytes(rng), mss * MAX_SEGMENTS_PER_RESPONSE);
            int segments = (bytes + mss - 1) / mss;
            long serverTime = logUniform(rng, 20 * MICROSECOND, 5 * MILLISECOND);
            for (int s = 0; s < segments; s++) {
                int len = s < segments - 1 ? mss : bytes - mss * (segments - 1);
                // 1448 bytes at 1 Gbit/s take about 12 µs on the wire.
                add(TCP_S_DATA, len, 0, s == 0 ? rtt + serverTime : 12 * MICROSECOND);
                if (s % 2 == 1 || s == segments - 1) {
                    add(TCP_C_ACK, 0, 0, 25 * MICROSECOND); // RFC 1122 4.2.3.2: ACK every 2nd segment
                }
            }
        }
        if (rng.nextInt(100) < 8) {
            add(TCP_C_ABORT, 0, 0, logUniform(rng, MILLISECOND, 100 * MILLISECOND));
        } else {
            add(TCP_C_FIN, 0, 0, logUniform(rng, MILLISECOND, 100 * MILLISECOND));
            add(TCP_S_FIN, 0, 0, rtt);
            add(TCP_C_ACK, 0, 0, 30 * MICROSECOND);
        }
    }

    private static int responseBytes(SplittableRandom rng) {
        int p = rng.nextInt(100);
        if (p < 65) {
            return 200 + rng.nextInt(1800);
        }
        if (p < 95) {
            return 2000 + rng.nextInt(10_000);
        }
        return 12_000 + rng.nextInt(34_000);
    }

    /**
     * A stub resolver's lookup: one A query, or A and AAAA sent back to back from one socket
     * (glibc's parallel lookup) with distinct ids. Each query is answered, lost for good, or
     * lost once and resent with the same id after a second.
     */
    private void planDns(SplittableRandom rng, long rtt) {
        kind = Kind.DNS;
        server = HostTable.server(rng.nextInt(8));    // a handful of resolvers serve everybody
        serverPort = 53;
        nameNumber = rng.nextInt(1_000_000);
        int queries = rng.nextInt(100) < 60 ? 2 : 1;
        int firstId = rng.nextInt(0x10000);
        int fate0 = queryFate(rng);
        int fate1 = queryFate(rng);
        for (int q = 0; q < queries; q++) {
            dnsId[q] = (firstId + q) & 0xFFFF;
            dnsType[q] = q == 0 ? 1 : 28;             // A, then AAAA (RFC 3596)
            add(DNS_QUERY, q, 0, q == 0 ? 0 : 40 * MICROSECOND);
        }
        boolean swap = queries == 2 && rng.nextBoolean();    // answers may come in either order
        long gap = rtt + logUniform(rng, 10 * MICROSECOND, 20 * MILLISECOND);
        for (int i = 0; i < queries; i++) {
            int q = swap ? 1 - i : i;
            if ((q == 0 ? fate0 : fate1) == ANSWERED) {
                add(DNS_RESPONSE, q, 0, gap);
                gap = 15 * MICROSECOND;
            }
        }
        for (int q = 0; q < queries; q++) {
            if ((q == 0 ? fate0 : fate1) == RESENT) {
                add(DNS_QUERY, q, 1, SECOND);
                add(DNS_RESPONSE, q, 1, rtt);
            }
        }
    }

    private static int queryFate(SplittableRandom rng) {
        int p = rng.nextInt(100);
        return p < 3 ? LOST : p < 5 ? RESENT : ANSWERED;
    }

    /**
     * Request/reply over UDP, one to three rounds on one flow. A request may be resent once
     * before its reply; only the last round may go unanswered, since a later request on the same
     * flow would otherwise read as a resend of the unanswered one.
     */
    private void planUdp(SplittableRandom rng, long rtt) {
        kind = Kind.UDP;
        server = HostTable.server(8 + rng.nextInt(HostTable.SERVERS - 8));
        serverPort = UDP_SERVICE_PORTS[rng.nextInt(UDP_SERVICE_PORTS.length)];
        int rounds = 1 + rng.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            add(UDP_REQUEST, 40 + rng.nextInt(400), 0, r == 0 ? 0 : logUniform(rng, MILLISECOND, 500 * MILLISECOND));
            int p = rng.nextInt(100);
            if (p < 3 && r == rounds - 1) {
                return;
            }
            int resent = p < 8 ? 1 : 0;
            if (resent == 1) {
                add(UDP_REQUEST, 40 + rng.nextInt(400), 1, 500 * MILLISECOND);
            }
            add(UDP_REPLY, 40 + rng.nextInt(1200), resent, rtt + logUniform(rng, 10 * MICROSECOND, MILLISECOND));
        }
    }

    /** ping: one to five echo requests a second apart (the identifier is unique per conversation). */
    private void planPing(SplittableRandom rng, long rtt) {
        kind = Kind.ICMP;
        server = HostTable.server(rng.nextInt(HostTable.SERVERS));
        serverPort = 0;
        int count = 1 + rng.nextInt(5);
        for (int seq = 1; seq <= count; seq++) {
            add(ECHO_REQUEST, seq, 0, seq == 1 ? 0 : SECOND);
            if (rng.nextInt(100) >= 3) {
                add(ECHO_REPLY, seq, 0, rtt);
            }
        }
    }

    private void add(int o, int a, int copy, long delay) {
        op[steps] = o;
        arg[steps] = a;
        copies[steps] = copy;
        delayNs[steps] = delay;
        steps++;
    }

    private static long logUniform(SplittableRandom rng, long min, long max) {
        return (long) (min * Math.exp(rng.nextDouble() * Math.log((double) max / min)));
    }
}
