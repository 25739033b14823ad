package dev.flat.core.match;

import dev.flat.core.event.Direction;

/**
 * One completed request/response exchange. The matcher reuses a single instance and hands it to
 * {@link ExchangeListener#onExchange}; it is valid only during that call ({@link #copy()} keeps it).
 *
 * <p>Addresses are 128-bit, IPv4 as IPv4-mapped IPv6, held as two big-endian longs. The client
 * is the side that sent the request. For ICMP the ports are 0 (identifier and sequence are in
 * {@link #icmpId}/{@link #icmpSeq}).
 */
public final class Exchange {
    public Kind kind;
    public Outcome outcome;
    /** Wall-clock time of the measured (most recent) request copy, ns since the Unix epoch. */
    public long requestTimeNs;
    /** Response time minus request time, exact integer nanoseconds. */
    public long latencyNs;
    public long clientHi, clientLo, serverHi, serverLo;
    public int clientPort, serverPort;
    /** ICMP echo identifier and sequence number; -1 for other kinds. */
    public int icmpId, icmpSeq;
    /** DNS transaction id; -1 for other kinds. */
    public int dnsId;
    /** Earlier copies of the request seen before the measured one. */
    public int retransmits;
    /** TTL / hop limit of the response. */
    public int responseTtl;
    /** Direction of the request packet as captured. */
    public Direction direction;
    /** Interface of the request packet (kernel ifindex or capture interface number + 1; 0 unknown). */
    public long ifindex;
    /** Sub-second digits both timestamps had: 9 for ns sources, 6 for µs. */
    public int tsDigits;

    public Exchange copy() {
        Exchange c = new Exchange();
        c.kind = kind; c.outcome = outcome; c.requestTimeNs = requestTimeNs; c.latencyNs = latencyNs;
        c.clientHi = clientHi; c.clientLo = clientLo; c.serverHi = serverHi; c.serverLo = serverLo;
        c.clientPort = clientPort; c.serverPort = serverPort; c.icmpId = icmpId; c.icmpSeq = icmpSeq;
        c.dnsId = dnsId; c.retransmits = retransmits; c.responseTtl = responseTtl;
        c.direction = direction; c.ifindex = ifindex; c.tsDigits = tsDigits;
        return c;
    }
}
