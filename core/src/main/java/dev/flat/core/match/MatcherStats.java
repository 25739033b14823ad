package dev.flat.core.match;

/**
 * The matcher's counters. Every request that enters the table ends in exactly one of answered,
 * refused, unanswered, evicted or unmeasurable, or is still pending, so for each kind
 * <pre>
 *   requests = answered + refused + unanswered + evicted + unmeasurable + pending
 * </pre>
 * Retransmits are further copies of a pending request, not requests of their own.
 *
 * <p>Every event the matcher receives is either part of an exchange (a request, a retransmit, a
 * response) or counted in one of {@link #unmatchedResponses}, {@link #filtered},
 * {@link #unmatchedResets()} or {@link #ignoredEvents()}: nothing is dropped silently.
 *
 * <p>{@link Matcher#stats()} returns the live counters, updated in place without allocating; read
 * them on the matching thread, or hand another thread a {@link #copy()}.
 */
public final class MatcherStats {
    private static final int KINDS = Kind.values().length;

    private final long[] requests = new long[KINDS];
    private final long[] answered = new long[KINDS];
    private final long[] refused = new long[KINDS];
    private final long[] unanswered = new long[KINDS];
    private final long[] retransmits = new long[KINDS];
    private final long[] evicted = new long[KINDS];
    private final long[] unmeasurable = new long[KINDS];
    private final long[] unmatchedResponses = new long[KINDS];
    private final long[] filtered = new long[KINDS];
    private final long[] pending = new long[KINDS];
    private long notDns;
    private long unmatchedResets;
    private long ignoredEvents;
    private long outOfOrderEvents;

    /** All counters zero (a matcher's start, or an empty report). */
    public MatcherStats() {}

    /** Distinct requests that entered the table (a retransmit is not a new request). */
    public long requests(Kind k) { return requests[k.ordinal()]; }
    /** Requests that got their response. */
    public long answered(Kind k) { return answered[k.ordinal()]; }
    /** TCP SYNs answered by a RST: the round trip is measured, the port was closed. */
    public long refused(Kind k) { return refused[k.ordinal()]; }
    /** Requests still unanswered after the timeout (capture time) or at the end of input. */
    public long unanswered(Kind k) { return unanswered[k.ordinal()]; }
    /** Copies of a pending request seen before its response (TCP SYN, DNS query, UDP, echo). */
    public long retransmits(Kind k) { return retransmits[k.ordinal()]; }
    /** Pending requests pushed out, oldest first, to make room when the table was full. */
    public long evicted(Kind k) { return evicted[k.ordinal()]; }
    /**
     * Requests whose response was found but whose timestamps give no latency: the response is
     * stamped before the request (a capture merged from two clocks, a clock stepped backwards).
     * No exchange is reported for them.
     */
    public long unmeasurable(Kind k) { return unmeasurable[k.ordinal()]; }
    /**
     * Responses (SYN/ACK, DNS response, echo reply, a UDP datagram whose protocol says it answers:
     * a SIP response, a WireGuard handshake response) with no pending request.
     */
    public long unmatchedResponses(Kind k) { return unmatchedResponses[k.ordinal()]; }
    /** Events of a kind the configuration does not measure, ignored. */
    public long filtered(Kind k) { return filtered[k.ordinal()]; }
    /** Requests of this kind pending right now. */
    public long pending(Kind k) { return pending[k.ordinal()]; }

    /** Requests pending right now, all kinds. */
    public long pending() {
        long total = 0;
        for (long n : pending) {
            total += n;
        }
        return total;
    }

    /**
     * UDP datagrams to or from port 53 whose payload is not a plausible DNS header (shorter than
     * 12 bytes, an unassigned opcode, a query from port 53 to elsewhere...). Counted when seen and
     * then handled as plain UDP, so they also appear under {@link Kind#UDP} (or its filter count).
     */
    public long notDns() { return notDns; }
    /**
     * TCP RSTs that answer no pending SYN: mostly aborts of established connections, which carry
     * no handshake latency.
     */
    public long unmatchedResets() { return unmatchedResets; }
    /**
     * Events that are no request or response of any kind: records of an unknown type, TCP
     * segments without SYN or RST, ICMP other than echo, other IP protocols, and UDP datagrams
     * whose protocol says they neither ask nor answer (WireGuard keep-alives, SIP ACKs).
     */
    public long ignoredEvents() { return ignoredEvents; }
    /**
     * Events stamped earlier than an event before them. They are still matched; expiry keeps
     * using the latest time seen (see docs/matching.md).
     */
    public long outOfOrderEvents() { return outOfOrderEvents; }

    /** A detached copy, for handing the counters to another thread or keeping a snapshot. */
    public MatcherStats copy() {
        MatcherStats c = new MatcherStats();
        System.arraycopy(requests, 0, c.requests, 0, KINDS);
        System.arraycopy(answered, 0, c.answered, 0, KINDS);
        System.arraycopy(refused, 0, c.refused, 0, KINDS);
        System.arraycopy(unanswered, 0, c.unanswered, 0, KINDS);
        System.arraycopy(retransmits, 0, c.retransmits, 0, KINDS);
        System.arraycopy(evicted, 0, c.evicted, 0, KINDS);
        System.arraycopy(unmeasurable, 0, c.unmeasurable, 0, KINDS);
        System.arraycopy(unmatchedResponses, 0, c.unmatchedResponses, 0, KINDS);
        System.arraycopy(filtered, 0, c.filtered, 0, KINDS);
        System.arraycopy(pending, 0, c.pending, 0, KINDS);
        c.notDns = notDns;
        c.unmatchedResets = unmatchedResets;
        c.ignoredEvents = ignoredEvents;
        c.outOfOrderEvents = outOfOrderEvents;
        return c;
    }

    // Updates, by kind ordinal; only the matcher counts.

    void countRequest(int kind) { requests[kind]++; pending[kind]++; }
    void countRetransmit(int kind) { retransmits[kind]++; }
    void countAnswered(int kind) { answered[kind]++; pending[kind]--; }
    void countRefused(int kind) { refused[kind]++; pending[kind]--; }
    void countUnmeasurable(int kind) { unmeasurable[kind]++; pending[kind]--; }
    void countUnanswered(int kind) { unanswered[kind]++; pending[kind]--; }
    void countEvicted(int kind) { evicted[kind]++; pending[kind]--; }
    void countUnmatchedResponse(int kind) { unmatchedResponses[kind]++; }
    void countFiltered(int kind) { filtered[kind]++; }
    void countNotDns() { notDns++; }
    void countUnmatchedReset() { unmatchedResets++; }
    void countIgnored() { ignoredEvents++; }
    void countOutOfOrder() { outOfOrderEvents++; }
}
