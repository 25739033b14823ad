package dev.flat.core.match;

import static dev.flat.core.match.Events.MS;
import static dev.flat.core.match.Events.T0;
import static dev.flat.core.match.Events.lo;
import static dev.flat.core.match.Events.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flat.core.event.EventRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * UDP where both sides send first: where the protocol says a datagram asks or answers
 * ({@link UdpRole}), the matcher never pairs a request with another request.
 */
class MatcherUdpRoleTest {
    private static final String A = "10.2.0.1";
    private static final String B = "10.2.0.2";
    private static final int SIP = UdpRole.SIP_PORT;
    private static final int WG = 51820;
    private static final Kind UDP = Kind.UDP;

    private static EventRecord sip(String src, String dst, String startLine, long ts) {
        byte[] text = startLine.getBytes(StandardCharsets.US_ASCII);
        return udp(src, SIP, dst, SIP, ts, 400, text);
    }

    private static EventRecord wireguard(String src, String dst, int type, int length, long ts) {
        return udp(src, WG, dst, WG, ts, length, (byte) type, (byte) 0, (byte) 0, (byte) 0);
    }

    @Test
    void sipRequestsThatCrossStayTwoRequestsEachAnsweredByItsResponse() {
        // Both peers on 5060 send OPTIONS at once; under the first-reply rule B's OPTIONS
        // would have "answered" A's after 1 ms.
        Harness h = new Harness();
        h.feed(sip(A, B, "OPTIONS sip:b SIP/2.0", T0),
                sip(B, A, "OPTIONS sip:a SIP/2.0", T0 + MS),
                sip(A, B, "SIP/2.0 200 OK", T0 + 3 * MS),      // A answers B's
                sip(B, A, "SIP/2.0 200 OK", T0 + 7 * MS));     // B answers A's

        assertEquals(2, h.exchanges());
        Exchange bAsked = h.recorder.exchanges.get(0);
        assertEquals(lo(B), bAsked.clientLo);
        assertEquals(2 * MS, bAsked.latencyNs);
        Exchange aAsked = h.recorder.exchanges.get(1);
        assertEquals(lo(A), aAsked.clientLo);
        assertEquals(7 * MS, aAsked.latencyNs);
        assertEquals(2, h.stats().requests(UDP));
        assertEquals(0, h.stats().retransmits(UDP));
        h.assertBalanced();
    }

    @Test
    void sipRetransmittedRequestIsMeasuredFromItsLatestCopy() {
        // RFC 3261 17.1.2.2: a non-INVITE request is resent after T1 = 500 ms without answer.
        Harness h = new Harness();
        h.feed(sip(A, B, "REGISTER sip:b SIP/2.0", T0),
                sip(A, B, "REGISTER sip:b SIP/2.0", T0 + 500 * MS),
                sip(B, A, "SIP/2.0 200 OK", T0 + 504 * MS));

        Exchange x = h.only();
        assertEquals(4 * MS, x.latencyNs);
        assertEquals(1, x.retransmits);
        h.assertBalanced();
    }

    @Test
    void sipResponseWithoutRequestIsAnUnmatchedResponseNotARequest() {
        Harness h = new Harness();
        h.feed(sip(B, A, "SIP/2.0 200 OK", T0), sip(A, B, "BYE sip:b SIP/2.0", T0 + MS));

        assertEquals(0, h.exchanges());
        assertEquals(1, h.stats().unmatchedResponses(UDP));
        assertEquals(1, h.stats().requests(UDP), "only the BYE asks");
        h.assertBalanced();
    }

    @Test
    void sipAckIsNeverPendingAndNeverAnswers() {
        Harness h = new Harness();
        h.feed(sip(A, B, "INVITE sip:b SIP/2.0", T0),
                sip(B, A, "SIP/2.0 486 Busy Here", T0 + 2 * MS),
                sip(A, B, "ACK sip:b SIP/2.0", T0 + 3 * MS));
        h.matcher.finish();

        assertEquals(2 * MS, h.only().latencyNs);
        assertEquals(1, h.stats().ignoredEvents());
        assertEquals(0, h.stats().unanswered(UDP), "the ACK was not left pending");
        h.assertBalanced();
    }

    @Test
    void wireguardKeepAlivesFromBothPeersPairNothing() {
        // Section 6.5 of the WireGuard paper: each peer sends an empty transport message when it
        // has received data and sent nothing for 10 s; neither expects an answer.
        Harness h = new Harness();
        h.feed(wireguard(A, B, 4, 32, T0), wireguard(B, A, 4, 32, T0 + 3 * MS));
        h.matcher.finish();

        assertEquals(0, h.exchanges());
        assertEquals(2, h.stats().ignoredEvents());
        assertEquals(0, h.stats().requests(UDP));
        h.assertBalanced();
    }

    @Test
    void wireguardHandshakeIsMeasuredAndCrossingInitiationsStayRequests() {
        Harness h = new Harness();
        h.feed(wireguard(A, B, 1, 148, T0),
                wireguard(B, A, 1, 148, T0 + MS),     // B initiates too: not an answer
                wireguard(B, A, 2, 92, T0 + 5 * MS),  // B's response to A's initiation
                wireguard(A, B, 3, 64, T0 + 6 * MS)); // A, under load, answers B's with a cookie

        assertEquals(2, h.exchanges());
        assertEquals(lo(A), h.recorder.exchanges.get(0).clientLo);
        assertEquals(5 * MS, h.recorder.exchanges.get(0).latencyNs);
        assertEquals(lo(B), h.recorder.exchanges.get(1).clientLo);
        assertEquals(5 * MS, h.recorder.exchanges.get(1).latencyNs);
        h.assertBalanced();
    }

    @Test
    void wireguardDataStillPairsByTheFirstReplyRule() {
        Harness h = new Harness();
        h.feed(wireguard(A, B, 4, 128, T0), wireguard(B, A, 4, 96, T0 + 2 * MS));

        assertEquals(2 * MS, h.only().latencyNs);
        h.assertBalanced();
    }

    @Test
    void unknownProtocolsKeepTheFirstReplyRule() {
        // Without protocol knowledge a crossing datagram cannot be told from an answer: the
        // documented limit of the generic rule (docs/matching.md).
        Harness h = new Harness();
        h.feed(udp(A, 9000, B, 9000, T0), udp(B, 9000, A, 9000, T0 + MS));

        assertEquals(MS, h.only().latencyNs);
    }
}
