package dev.flat.core.match;

/**
 * What a plain (non-DNS) UDP datagram is to the matcher, read from its first four payload bytes
 * ({@link dev.flat.core.event.EventRecord#payloadWord()}) where the protocol says whether a
 * message asks or answers. Without that, the first-reply rule of docs/matching.md decides
 * ({@link #EITHER}); with it, a request is never taken for the answer to another request - two
 * SIP requests that cross on port 5060, or WireGuard keep-alives sent by both peers.
 *
 * <p>The roles are ints, not an enum, so that the hot path compares constants.
 */
final class UdpRole {
    /** No protocol knowledge: answers a pending request the other way, else becomes one. */
    static final int EITHER = 0;
    /** Asks: becomes (or refreshes) a pending request, never answers one. */
    static final int REQUEST = 1;
    /** Answers a pending request the other way; never pending itself. */
    static final int ANSWER = 2;
    /** Neither asks nor answers: a keep-alive, a SIP ACK. Counted ignored. */
    static final int NEITHER = 3;

    /** SIP's default port for UDP (RFC 3261 section 19.1.2). */
    static final int SIP_PORT = 5060;
    /** "SIP/": a response's Status-Line starts with the SIP-Version (RFC 3261 section 7.2). */
    private static final int SIP_RESPONSE = 0x5349_502F;
    /**
     * "ACK ": the request that completes an INVITE transaction; it is never answered (RFC 3261
     * section 17.1.1.3), so pending it would only add an unanswered request.
     */
    private static final int SIP_ACK = 0x4143_4B20;

    /*
     * WireGuard (whitepaper "WireGuard: Next Generation Kernel Network Tunnel", section 5.4): one
     * type byte, three reserved zero bytes, and a fixed length per type. A transport message is
     * a 16-byte header, the encrypted packet padded to 16 bytes and a 16-byte tag: 32 bytes for
     * an empty packet, which is the keep-alive (section 6.5), sent without expecting an answer.
     */
    private static final int WG_INITIATION = 0x0100_0000;
    private static final int WG_RESPONSE = 0x0200_0000;
    private static final int WG_COOKIE_REPLY = 0x0300_0000;
    private static final int WG_TRANSPORT = 0x0400_0000;
    /** The bits a WireGuard header may set: the low three of the type byte (types 1 to 4). */
    private static final int WG_TYPE_MASK = 0x0700_0000;
    private static final int WG_INITIATION_LENGTH = 148;
    private static final int WG_RESPONSE_LENGTH = 92;
    private static final int WG_COOKIE_REPLY_LENGTH = 64;
    private static final int WG_KEEPALIVE_LENGTH = 32;

    private UdpRole() {}

    /**
     * The role of a datagram with this first payload word (big-endian), UDP payload length and
     * ports. SIP is recognised by its port, as DNS is; WireGuard by its message layout on any
     * port (its port is configured, 51820 only by convention).
     */
    static int of(int word, int payloadLen, int sport, int dport) {
        if (sport == SIP_PORT || dport == SIP_PORT) {
            return sip(word, payloadLen);
        }
        return mayBeWireguard(word) ? wireguard(word, payloadLen) : EITHER;
    }

    /**
     * Whether {@link #of} can be anything but {@link #EITHER}: two port compares and one mask
     * test, for the matcher's common path.
     */
    static boolean mayHaveRole(int word, int sport, int dport) {
        return sport == SIP_PORT || dport == SIP_PORT || mayBeWireguard(word);
    }

    /** A WireGuard header is one small type byte and three zero bytes. */
    private static boolean mayBeWireguard(int word) {
        return (word & ~WG_TYPE_MASK) == 0;
    }

    private static int sip(int word, int payloadLen) {
        if (payloadLen < 4) {
            return EITHER;
        }
        if (word == SIP_RESPONSE) {
            return ANSWER;
        }
        if (word == SIP_ACK) {
            return NEITHER;
        }
        return isMethodStart(word) ? REQUEST : EITHER;
    }

    private static int wireguard(int word, int payloadLen) {
        return switch (word) {
            case WG_INITIATION -> payloadLen == WG_INITIATION_LENGTH ? REQUEST : EITHER;
            case WG_RESPONSE -> payloadLen == WG_RESPONSE_LENGTH ? ANSWER : EITHER;
            // A cookie reply answers an initiation the responder is too loaded to accept.
            case WG_COOKIE_REPLY -> payloadLen == WG_COOKIE_REPLY_LENGTH ? ANSWER : EITHER;
            case WG_TRANSPORT -> payloadLen == WG_KEEPALIVE_LENGTH ? NEITHER : EITHER;
            default -> EITHER;
        };
    }

    /**
     * Four bytes that can start a SIP request: a method is an upper-case token (every method of
     * the IANA registry is), followed by a space when shorter than four letters ("BYE ").
     */
    private static boolean isMethodStart(int word) {
        if (!isUpper(word >>> 24)) {
            return false;
        }
        for (int shift = 16; shift >= 0; shift -= 8) {
            int c = (word >>> shift) & 0xFF;
            if (!isUpper(c) && c != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUpper(int c) { return c >= 'A' && c <= 'Z'; }
}
