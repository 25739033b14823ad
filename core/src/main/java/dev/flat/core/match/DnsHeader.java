package dev.flat.core.match;

/**
 * The part of a DNS message header (RFC 1035 section 4.1.1) that the event record carries: the
 * first four payload bytes, id and flags, as {@link dev.flat.core.event.EventRecord#payloadWord()}.
 *
 * <pre>
 *  31                16 15 14    11 10  9  8  7  6  5  4  3     0
 * +--------------------+--+--------+--+--+--+--+--+--+--+--------+
 * |         ID         |QR| OPCODE |AA|TC|RD|RA| Z|AD|CD| RCODE  |
 * +--------------------+--+--------+--+--+--+--+--+--+--+--------+
 * </pre>
 */
final class DnsHeader {
    /** The well-known DNS port (RFC 1035 section 4.2.1). */
    static final int PORT = 53;
    /** A DNS header is 12 bytes: id, flags and the four section counts (RFC 1035 4.1.1). */
    static final int HEADER_LENGTH = 12;

    /**
     * Opcodes in the IANA "DNS OPCODEs" registry: 0 QUERY, 1 IQUERY (obsoleted by RFC 3425 but
     * still assigned), 2 STATUS, 4 NOTIFY (RFC 1996), 5 UPDATE (RFC 2136), 6 DSO (RFC 8490).
     * 3 and 7..15 are unassigned: a datagram claiming them is almost certainly not DNS.
     */
    private static final int ASSIGNED_OPCODES = 0b0111_0111;

    private DnsHeader() {}

    static int id(int word) { return word >>> 16; }

    /** QR: 0 query, 1 response. */
    static boolean isResponse(int word) { return (word & 0x8000) != 0; }

    static int opcode(int word) { return (word >>> 11) & 0xF; }

    /**
     * Whether a UDP datagram is a DNS message flat can pair: at least a full header, an
     * assigned opcode, and the direction its QR bit claims - a query to port 53 or a response
     * from it. Anything else on port 53 is measured as plain UDP (and counted as not DNS).
     */
    static boolean isDns(int payloadWord, int payloadLen, int sport, int dport) {
        if (payloadLen < HEADER_LENGTH || (ASSIGNED_OPCODES & (1 << opcode(payloadWord))) == 0) {
            return false;
        }
        return isResponse(payloadWord) ? sport == PORT : dport == PORT;
    }
}
