package dev.flat.bench;

import dev.flat.core.match.Kind;

/**
 * What a generated capture contains, known by construction: the packets and events written, and
 * per kind the exchanges begun, answered, refused, and the retransmits the answered/refused
 * exchanges carry. Counting happens as steps are written, so a capture cut at any packet count
 * is still described exactly: a request whose answer was never written is unanswered.
 */
public final class ExpectedCounts {
    private final long[] requests = new long[Kind.values().length];
    private final long[] answered = new long[Kind.values().length];
    private final long[] refused = new long[Kind.values().length];
    private final long[] exchangeRetransmits = new long[Kind.values().length];
    private long packets;
    private long events;
    private long bytes;

    void count(Conversation c, int step, int frameLength) {
        packets++;
        bytes += frameLength;
        int op = c.op[step];
        if (StepFrames.isEvent(op)) {
            events++;
        }
        int k = c.kind.ordinal();
        switch (op) {
            case Conversation.TCP_SYN, Conversation.DNS_QUERY, Conversation.UDP_REQUEST, Conversation.ECHO_REQUEST -> {
                if (c.copies[step] == 0) {
                    requests[k]++;
                }
            }
            case Conversation.TCP_SYN_ACK, Conversation.DNS_RESPONSE, Conversation.UDP_REPLY, Conversation.ECHO_REPLY -> {
                answered[k]++;
                exchangeRetransmits[k] += c.copies[step];
            }
            case Conversation.TCP_REFUSE -> {
                refused[k]++;
                exchangeRetransmits[k] += c.copies[step];
            }
            default -> { }
        }
    }

    public long packets() { return packets; }
    /** Packets flat turns into event records (TCP SYN or RST, UDP, ICMP echo). */
    public long events() { return events; }
    /** Frame bytes written (without file and record headers). */
    public long frameBytes() { return bytes; }
    /** Distinct requests begun (a resent copy is not a new request). */
    public long requests(Kind k) { return requests[k.ordinal()]; }
    public long answered(Kind k) { return answered[k.ordinal()]; }
    public long refused(Kind k) { return refused[k.ordinal()]; }
    /** Requests never answered nor refused within the capture. */
    public long unanswered(Kind k) { return requests(k) - answered(k) - refused(k); }
    /** Sum of the retransmit counts of the answered and refused exchanges. */
    public long exchangeRetransmits(Kind k) { return exchangeRetransmits[k.ordinal()]; }

    public long exchanges() {
        long n = 0;
        for (Kind k : Kind.values()) {
            n += answered(k) + refused(k);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("packets=").append(packets).append(" events=").append(events).append(" frame_bytes=").append(bytes);
        for (Kind k : Kind.values()) {
            b.append(System.lineSeparator()).append(k.label())
                    .append(": requests=").append(requests(k))
                    .append(" answered=").append(answered(k))
                    .append(" refused=").append(refused(k))
                    .append(" unanswered=").append(unanswered(k))
                    .append(" retransmits=").append(exchangeRetransmits(k));
        }
        return b.toString();
    }
}
