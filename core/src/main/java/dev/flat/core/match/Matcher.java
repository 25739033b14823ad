package dev.flat.core.match;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pairs requests with their responses and reports each pair as an {@link Exchange}.
 *
 * <p>Every request is keyed by its exact, directed tuple: client address and port, server
 * address and port, kind and a per-kind discriminator. A response looks up the tuple it must
 * answer, so a request is never paired with another request and flows whose hashes collide
 * never mix (unlike the original flat's commutative hash). Per kind:
 * <ul>
 * <li>tcp: a SYN without ACK from A to B is a request, discriminated by its sequence number. A
 *     SYN/ACK from B to A whose acknowledgement number is that sequence + 1 (mod 2^32, the SYN
 *     occupies one sequence number, RFC 9293 section 3.4) answers it; a RST with ACK and the same
 *     acknowledgement number refuses it (RFC 9293 section 3.10.7.1: a closed port answers a SYN
 *     with RST, ACK = SEG.SEQ + 1).
 * <li>dns: a query to port 53 discriminated by its id; the response from port 53 with the same
 *     id answers it, so a resolver's parallel A and AAAA queries on one socket pair correctly.
 * <li>udp: any other datagram. A datagram X to Y answers a pending Y to X request; otherwise it
 *     becomes (or refreshes) the pending request X to Y. Where the protocol says whether a
 *     datagram asks or answers ({@link UdpRole}: SIP, WireGuard), a request never answers and
 *     an answer is never pending; keep-alives do neither.
 * <li>icmp: an echo request (type 8, ICMPv6 128) answered by the echo reply (0, ICMPv6 129)
 *     with the same identifier and sequence number from the request's destination.
 * </ul>
 * A request seen again while pending is a retransmit: the exchange is measured from the latest
 * copy and reports how many earlier copies there were. (Karn's algorithm, RFC 6298 section 3,
 * would refuse such samples; flat reports them with their retransmit count instead.)
 *
 * <p>Time is capture time: the latest timestamp seen so far. Each event first expires the
 * requests that have waited longer than the timeout, then is matched. Timestamps that go
 * backwards are matched normally but never move the clock back.
 *
 * <p>Not thread-safe; one thread feeds it. The {@link Exchange} handed to the listener is reused
 * and valid only during the call. Nothing is allocated per event. docs/matching.md states every
 * rule, counter and bound in full.
 */
public final class Matcher implements EventSink {
    // Echo types: RFC 792 for ICMP, RFC 4443 sections 4.1 and 4.2 for ICMPv6.
    private static final int ICMP_ECHO_REPLY = 0;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int ICMPV6_ECHO_REQUEST = 128;
    private static final int ICMPV6_ECHO_REPLY = 129;

    private static final Kind[] KINDS = Kind.values();
    private static final int TCP = Kind.TCP.ordinal();
    private static final int DNS = Kind.DNS.ordinal();
    private static final int UDP = Kind.UDP.ordinal();
    private static final int ICMP = Kind.ICMP.ordinal();
    private static final long UDP_TAG = PendingTable.tag(Kind.UDP, 0);

    private final long timeoutNs;
    private final boolean[] measured = new boolean[KINDS.length];
    private final ExchangeListener listener;
    private final PendingTable table;
    private final MatcherStats stats = new MatcherStats();
    private final Exchange exchange = new Exchange();
    /** The latest event timestamp so far: capture time. */
    private long clockNs = Long.MIN_VALUE;

    public Matcher(MatcherConfig config, ExchangeListener listener) {
        this(config, listener, FlowHash.seeded(ThreadLocalRandom.current().nextLong()));
    }

    /** With a chosen hash, so that tests can force collisions. */
    Matcher(MatcherConfig config, ExchangeListener listener, FlowHash flowHash) {
        this.timeoutNs = config.timeoutNs();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.table = new PendingTable(config.maxPending(), flowHash);
        for (Kind k : config.kinds()) {
            measured[k.ordinal()] = true;
        }
    }

    /** Classifies, expires what this event's time makes due, then matches. */
    @Override
    public void onEvent(EventRecord e) {
        if (e.type() != EventRecord.TYPE_PACKET) {
            stats.countIgnored();
            return;
        }
        long ts = e.tsNs();
        advanceClock(ts);
        switch (e.ipProto()) {
            case EventRecord.PROTO_TCP -> onTcp(e, ts);
            case EventRecord.PROTO_UDP -> onUdp(e, ts);
            case EventRecord.PROTO_ICMP -> onEcho(e, ts, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY);
            case EventRecord.PROTO_ICMPV6 -> onEcho(e, ts, ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY);
            default -> stats.countIgnored();
        }
    }

    /**
     * Counts as unanswered every request that has waited more than the timeout at {@code nowNs}:
     * inserted or last retransmitted before {@code nowNs - timeout}. Live mode calls this when no
     * events arrive; it does not move the capture clock.
     */
    public void expireUpTo(long nowNs) {
        long deadline = nowNs - timeoutNs;
        if (deadline > nowNs) {
            return; // nowNs - timeout underflowed: nothing can have waited that long
        }
        int e;
        while ((e = table.oldest()) != PendingTable.NONE && table.enqueuedAtNs(e) < deadline) {
            unanswered(e);
        }
    }

    /** End of input: every pending request is unanswered. The matcher stays usable. */
    public void finish() {
        int e;
        while ((e = table.oldest()) != PendingTable.NONE) {
            unanswered(e);
        }
    }

    private void unanswered(int entry) {
        int kind = table.kindOrdinal(entry);
        stats.countUnanswered(kind);
        listener.onUnanswered(KINDS[kind], table.requestTsNs(entry), table.serverHi(entry), table.serverLo(entry),
                kind == ICMP ? 0 : table.serverPort(entry), table.retransmits(entry));
        table.remove(entry);
    }

    /** The live counters (see {@link MatcherStats} for threads). */
    public MatcherStats stats() { return stats; }

    private void advanceClock(long ts) {
        if (ts > clockNs) {
            clockNs = ts;
            expireUpTo(ts);
        } else if (ts < clockNs) {
            stats.countOutOfOrder();
        }
    }

    private void onTcp(EventRecord e, long ts) {
        int flags = e.tcpFlags();
        boolean reset = (flags & EventRecord.TCP_RST) != 0;
        if (!reset && (flags & EventRecord.TCP_SYN) == 0) {
            stats.countIgnored();
            return;
        }
        if (!measured[TCP]) {
            stats.countFiltered(TCP);
            return;
        }
        boolean ack = (flags & EventRecord.TCP_ACK) != 0;
        if (reset || ack) {
            // Both answer the SYN whose sequence number is one before their acknowledgement; a RST
            // without ACK acknowledges nothing and so answers no SYN (RFC 9293 section 3.10.7.1).
            int entry = ack ? findReverse(e, Kind.TCP, e.tcpAck() - 1) : PendingTable.NONE;
            if (entry != PendingTable.NONE) {
                complete(entry, e, ts, reset ? Outcome.REFUSED : Outcome.ANSWERED);
            } else if (reset) {
                stats.countUnmatchedReset();
            } else {
                stats.countUnmatchedResponse(TCP);
            }
            return;
        }
        request(e, ts, Kind.TCP, PendingTable.ports(e.sport(), e.dport()), PendingTable.tag(Kind.TCP, e.tcpSeq()));
    }

    private void onUdp(EventRecord e, long ts) {
        int sport = e.sport();
        int dport = e.dport();
        if (sport == DnsHeader.PORT || dport == DnsHeader.PORT) {
            int word = e.payloadWord();
            if (DnsHeader.isDns(word, e.payloadLen(), sport, dport)) {
                onDns(e, ts, word);
                return;
            }
            stats.countNotDns();
        }
        if (!measured[UDP]) {
            stats.countFiltered(UDP);
            return;
        }
        if (UdpRole.mayHaveRole(e.payloadWord(), sport, dport)) {
            onUdpWithRole(e, ts, UdpRole.of(e.payloadWord(), e.payloadLen(), sport, dport));
            return;
        }
        int entry = findReverse(e, Kind.UDP, 0);
        if (entry != PendingTable.NONE) {
            complete(entry, e, ts, Outcome.ANSWERED);
        } else {
            request(e, ts, Kind.UDP, PendingTable.ports(sport, dport), UDP_TAG);
        }
    }

    /**
     * A datagram whose protocol says whether it asks ({@link UdpRole}). Out of the common path, so
     * that the first-reply rule compiles as before: one extra test per datagram.
     */
    private void onUdpWithRole(EventRecord e, long ts, int role) {
        if (role == UdpRole.NEITHER) {
            stats.countIgnored();
            return;
        }
        // A datagram that asks never answers: two requests that cross (SIP peers both on 5060,
        // WireGuard initiations from both ends) stay two requests.
        int entry = role == UdpRole.REQUEST ? PendingTable.NONE : findReverse(e, Kind.UDP, 0);
        if (entry != PendingTable.NONE) {
            complete(entry, e, ts, Outcome.ANSWERED);
        } else if (role == UdpRole.ANSWER) {
            stats.countUnmatchedResponse(UDP);
        } else {
            request(e, ts, Kind.UDP, PendingTable.ports(e.sport(), e.dport()), UDP_TAG);
        }
    }

    private void onDns(EventRecord e, long ts, int word) {
        if (!measured[DNS]) {
            stats.countFiltered(DNS);
            return;
        }
        int id = DnsHeader.id(word);
        if (DnsHeader.isResponse(word)) {
            int entry = findReverse(e, Kind.DNS, id);
            if (entry != PendingTable.NONE) {
                complete(entry, e, ts, Outcome.ANSWERED);
            } else {
                stats.countUnmatchedResponse(DNS);
            }
        } else {
            request(e, ts, Kind.DNS, PendingTable.ports(e.sport(), e.dport()), PendingTable.tag(Kind.DNS, id));
        }
    }

    /** ICMP and ICMPv6 echo; the record's ports hold the identifier and sequence number. */
    private void onEcho(EventRecord e, long ts, int requestType, int replyType) {
        int type = e.icmpType();
        if (type != requestType && type != replyType) {
            stats.countIgnored();
            return;
        }
        if (!measured[ICMP]) {
            stats.countFiltered(ICMP);
            return;
        }
        // The reply carries the request's identifier and sequence unchanged (not swapped like
        // ports), and the protocol keeps ICMP and ICMPv6 apart.
        int idSeq = PendingTable.ports(e.sport(), e.dport());
        long tag = PendingTable.tag(Kind.ICMP, e.ipProto());
        if (type == requestType) {
            request(e, ts, Kind.ICMP, idSeq, tag);
            return;
        }
        int h = table.hash(e.daddrHi(), e.daddrLo(), e.saddrHi(), e.saddrLo(), idSeq, tag);
        int entry = table.find(h, e.daddrHi(), e.daddrLo(), e.saddrHi(), e.saddrLo(), idSeq, tag);
        if (entry != PendingTable.NONE) {
            complete(entry, e, ts, Outcome.ANSWERED);
        } else {
            stats.countUnmatchedResponse(ICMP);
        }
    }

    /** The pending request this packet answers: the one its destination sent to its source. */
    private int findReverse(EventRecord e, Kind kind, long discriminator) {
        long cHi = e.daddrHi();
        long cLo = e.daddrLo();
        long sHi = e.saddrHi();
        long sLo = e.saddrLo();
        int ports = PendingTable.ports(e.dport(), e.sport());
        long tag = PendingTable.tag(kind, discriminator);
        return table.find(table.hash(cHi, cLo, sHi, sLo, ports, tag), cHi, cLo, sHi, sLo, ports, tag);
    }

    /** A request from the packet's source to its destination: new, or a retransmit of a pending one. */
    private void request(EventRecord e, long ts, Kind kind, int ports, long tag) {
        long cHi = e.saddrHi();
        long cLo = e.saddrLo();
        long sHi = e.daddrHi();
        long sLo = e.daddrLo();
        int h = table.hash(cHi, cLo, sHi, sLo, ports, tag);
        int entry = table.find(h, cHi, cLo, sHi, sLo, ports, tag);
        if (entry != PendingTable.NONE) {
            table.countRetransmit(entry);
            table.touch(entry, clockNs);
            stats.countRetransmit(kind.ordinal());
        } else {
            if (table.isFull()) {
                evictOldest();
            }
            entry = table.insert(h, cHi, cLo, sHi, sLo, ports, tag, clockNs);
            stats.countRequest(kind.ordinal());
        }
        table.recordRequest(entry, ts, e.ifindex(), e.direction(), e.tsDigits());
    }

    /**
     * Full table: the request that has waited longest goes. It is the likeliest to stay
     * unanswered, and keeping the newest favours the exchanges still in flight.
     */
    private void evictOldest() {
        int victim = table.oldest();
        stats.countEvicted(table.kindOrdinal(victim));
        table.remove(victim);
    }

    private void complete(int entry, EventRecord response, long ts, Outcome outcome) {
        int kind = table.kindOrdinal(entry);
        long requestTs = table.requestTsNs(entry);
        long latency = ts - requestTs;
        if (ts < requestTs || latency < 0) { // stamped before its request, or too far apart to subtract
            stats.countUnmeasurable(kind);
            table.remove(entry);
            return;
        }
        Exchange x = exchange;
        x.kind = KINDS[kind];
        x.outcome = outcome;
        x.requestTimeNs = requestTs;
        x.latencyNs = latency;
        x.clientHi = table.clientHi(entry);
        x.clientLo = table.clientLo(entry);
        x.serverHi = table.serverHi(entry);
        x.serverLo = table.serverLo(entry);
        if (kind == ICMP) {
            x.clientPort = 0;
            x.serverPort = 0;
            x.icmpId = table.clientPort(entry);
            x.icmpSeq = table.serverPort(entry);
        } else {
            x.clientPort = table.clientPort(entry);
            x.serverPort = table.serverPort(entry);
            x.icmpId = -1;
            x.icmpSeq = -1;
        }
        x.dnsId = kind == DNS ? (int) table.discriminator(entry) : -1;
        x.retransmits = table.retransmits(entry);
        x.responseTtl = response.ttl();
        x.direction = Direction.of(table.directionCode(entry));
        x.ifindex = table.ifindex(entry);
        x.tsDigits = Math.min(table.tsDigits(entry), response.tsDigits());
        table.remove(entry);
        if (outcome == Outcome.REFUSED) {
            stats.countRefused(kind);
        } else {
            stats.countAnswered(kind);
        }
        listener.onExchange(x);
    }
}
