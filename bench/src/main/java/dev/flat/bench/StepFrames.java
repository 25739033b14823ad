package dev.flat.bench;

import static dev.flat.bench.Conversation.*;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Turns a conversation's next step into a frame. TCP segments carry the options Linux sends
 * (SYN: MSS, SACK permitted, timestamps, window scale; later segments: timestamps), DNS messages
 * are well-formed RFC 1035 queries and answers with an EDNS(0) OPT record (RFC 6891), ICMP echo
 * carries 56 data bytes like ping's.
 */
final class StepFrames {
    private static final int FLAG_FIN = 0x01;
    private static final int FLAG_SYN = 0x02;
    private static final int FLAG_RST = 0x04;
    private static final int FLAG_PSH = 0x08;
    private static final int FLAG_ACK = 0x10;
    private static final int TCP_HEADER = 20;
    private static final int SYN_OPTIONS = 20;        // MSS 4, SACK_PERM 2, TS 10, NOP 1, WS 3
    private static final int TIMESTAMP_OPTIONS = 12;  // NOP NOP TS
    private static final int PING_DATA = 56;

    private static final String[] NAME_PREFIXES = {"www", "api", "cdn", "mail"};
    private static final String[] NAME_ZONES = {"com", "net", "org"};
    private static final byte[] EXAMPLE_LABEL = ascii("example");

    private final FrameBuilder frames;
    /** Stands in for application bytes: checksummed like any payload, never looked at. */
    private final byte[] filler = new byte[FrameBuilder.MAX_FRAME + 256];

    StepFrames(FrameBuilder frames, long seed) {
        this.frames = frames;
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < filler.length; i++) {
            filler[i] = (byte) rng.nextInt(256);
        }
    }

    /** True when the step is sent by the client (outbound at the capture point, which is the clients' side). */
    static boolean fromClient(int op) {
        return switch (op) {
            case TCP_SYN_ACK, TCP_REFUSE, TCP_S_DATA, TCP_S_FIN, DNS_RESPONSE, UDP_REPLY, ECHO_REPLY -> false;
            default -> true;
        };
    }

    /** True when flat turns the step's packet into an event: SYN, RST, any UDP, ICMP echo. */
    static boolean isEvent(int op) {
        return switch (op) {
            case TCP_C_ACK, TCP_C_DATA, TCP_S_DATA, TCP_C_FIN, TCP_S_FIN -> false;
            default -> true;
        };
    }

    /** Builds step i of c at capture time tsNs; returns the frame length. */
    int build(Conversation c, int i, long tsNs) {
        int op = c.op[i];
        int arg = c.arg[i];
        boolean out = fromClient(op);
        int src = out ? c.client : c.server;
        int dst = out ? c.server : c.client;
        return switch (op) {
            case TCP_SYN -> tcp(c, src, dst, out, FLAG_SYN, c.clientSeq, 0, 0, tsNs);
            case TCP_SYN_ACK -> {
                c.clientSeq = (c.clientSeq + 1) & 0xFFFF_FFFFL;   // the SYN took one sequence number
                int len = tcp(c, src, dst, out, FLAG_SYN | FLAG_ACK, c.serverSeq, c.clientSeq, 0, tsNs);
                c.serverSeq = (c.serverSeq + 1) & 0xFFFF_FFFFL;
                yield len;
            }
            // Linux answers a SYN to a closed port with RST|ACK, seq 0, ack = SYN's seq + 1 (RFC 9293 3.10.7.1).
            case TCP_REFUSE -> tcp(c, src, dst, out, FLAG_RST | FLAG_ACK, 0, (c.clientSeq + 1) & 0xFFFF_FFFFL, 0, tsNs);
            case TCP_C_ACK -> tcp(c, src, dst, out, FLAG_ACK, c.clientSeq, c.serverSeq, 0, tsNs);
            case TCP_C_DATA -> {
                int len = tcp(c, src, dst, out, FLAG_PSH | FLAG_ACK, c.clientSeq, c.serverSeq, arg, tsNs);
                c.clientSeq = (c.clientSeq + arg) & 0xFFFF_FFFFL;
                yield len;
            }
            case TCP_S_DATA -> {
                int len = tcp(c, src, dst, out, FLAG_PSH | FLAG_ACK, c.serverSeq, c.clientSeq, arg, tsNs);
                c.serverSeq = (c.serverSeq + arg) & 0xFFFF_FFFFL;
                yield len;
            }
            case TCP_C_FIN -> {
                int len = tcp(c, src, dst, out, FLAG_FIN | FLAG_ACK, c.clientSeq, c.serverSeq, 0, tsNs);
                c.clientSeq = (c.clientSeq + 1) & 0xFFFF_FFFFL;
                yield len;
            }
            case TCP_S_FIN -> {
                int len = tcp(c, src, dst, out, FLAG_FIN | FLAG_ACK, c.serverSeq, c.clientSeq, 0, tsNs);
                c.serverSeq = (c.serverSeq + 1) & 0xFFFF_FFFFL;
                yield len;
            }
            case TCP_C_ABORT -> tcp(c, src, dst, out, FLAG_RST | FLAG_ACK, c.clientSeq, c.serverSeq, 0, tsNs);
            case DNS_QUERY -> dns(c, src, dst, arg, false);
            case DNS_RESPONSE -> dns(c, src, dst, arg, true);
            case UDP_REQUEST -> udp(c, src, dst, c.clientPort, c.serverPort, arg);
            case UDP_REPLY -> udp(c, src, dst, c.serverPort, c.clientPort, arg);
            case ECHO_REQUEST -> echo(c, src, dst, true, arg);
            case ECHO_REPLY -> echo(c, src, dst, false, arg);
            default -> throw new IllegalStateException("unknown step " + op);
        };
    }

    private int tcp(Conversation c, int src, int dst, boolean out, int flags, long seq, long ack, int payload, long tsNs) {
        boolean syn = (flags & FLAG_SYN) != 0;
        boolean rst = (flags & FLAG_RST) != 0;
        int options = rst ? 0 : syn ? SYN_OPTIONS : TIMESTAMP_OPTIONS;
        int l4 = frames.begin(src, dst, c.ipv6, FrameBuilder.PROTO_TCP);
        int headerLen = TCP_HEADER + options;
        frames.put16(l4, out ? c.clientPort : c.serverPort);
        frames.put16(l4 + 2, out ? c.serverPort : c.clientPort);
        frames.put32(l4 + 4, seq);
        frames.put32(l4 + 8, ack);
        frames.put8(l4 + 12, (headerLen / 4) << 4);
        frames.put8(l4 + 13, flags);
        frames.put16(l4 + 14, rst ? 0 : syn ? (out ? 64240 : 65160) : 502);
        frames.put16(l4 + 18, 0);                     // urgent pointer
        int o = l4 + TCP_HEADER;
        long tsVal = (tsNs / 1_000_000L) & 0xFFFF_FFFFL;  // RFC 7323 TSval: a millisecond clock
        if (syn) {
            frames.put8(o, 2); frames.put8(o + 1, 4); frames.put16(o + 2, Conversation.mss(c.ipv6) + TIMESTAMP_OPTIONS);
            frames.put8(o + 4, 4); frames.put8(o + 5, 2);
            frames.put8(o + 6, 8); frames.put8(o + 7, 10); frames.put32(o + 8, tsVal); frames.put32(o + 12, out ? 0 : tsVal - 1);
            frames.put8(o + 16, 1);
            frames.put8(o + 17, 3); frames.put8(o + 18, 3); frames.put8(o + 19, 7);
        } else if (!rst) {
            frames.put8(o, 1); frames.put8(o + 1, 1);
            frames.put8(o + 2, 8); frames.put8(o + 3, 10); frames.put32(o + 4, tsVal); frames.put32(o + 8, tsVal - 1);
        }
        frames.copy(filler, (int) (seq & 0xFF), l4 + headerLen, payload);
        return frames.finish(headerLen + payload);
    }

    private int udp(Conversation c, int src, int dst, int sport, int dport, int payload) {
        int l4 = frames.begin(src, dst, c.ipv6, FrameBuilder.PROTO_UDP);
        frames.put16(l4, sport);
        frames.put16(l4 + 2, dport);
        frames.put16(l4 + 4, 8 + payload);
        frames.copy(filler, sport & 0xFF, l4 + 8, payload);
        return frames.finish(8 + payload);
    }

    private int dns(Conversation c, int src, int dst, int q, boolean response) {
        int l4 = frames.begin(src, dst, c.ipv6, FrameBuilder.PROTO_UDP);
        frames.put16(l4, response ? c.serverPort : c.clientPort);
        frames.put16(l4 + 2, response ? c.clientPort : c.serverPort);
        int m = l4 + 8;
        int qtype = c.dnsType[q];
        frames.put16(m, c.dnsId[q]);
        // Query: RD. Response: QR, RD, RA, NOERROR (RFC 1035 4.1.1).
        frames.put16(m + 2, response ? 0x8180 : 0x0100);
        frames.put16(m + 4, 1);                       // QDCOUNT
        frames.put16(m + 6, response ? 1 : 0);        // ANCOUNT
        frames.put16(m + 8, 0);                       // NSCOUNT
        frames.put16(m + 10, 1);                      // ARCOUNT: the OPT record
        int p = name(m + 12, c.nameNumber);
        frames.put16(p, qtype);
        frames.put16(p + 2, 1);                       // class IN
        p += 4;
        if (response) {
            frames.put16(p, 0xC00C);                  // name: pointer to the question's name
            frames.put16(p + 2, qtype);
            frames.put16(p + 4, 1);
            frames.put32(p + 6, 300);                 // TTL
            int rdLength = qtype == 28 ? 16 : 4;
            frames.put16(p + 10, rdLength);
            frames.copy(filler, c.nameNumber & 0xFF, p + 12, rdLength);
            p += 12 + rdLength;
        }
        frames.put8(p, 0);                            // OPT: root name
        frames.put16(p + 1, 41);                      // TYPE OPT
        frames.put16(p + 3, 1232);                    // UDP payload size (DNS flag day 2020)
        frames.put32(p + 5, 0);                       // extended RCODE, version, flags
        frames.put16(p + 9, 0);                       // RDLENGTH
        p += 11;
        frames.put16(l4 + 4, p - l4);
        return frames.finish(p - l4);
    }

    /** Writes e.g. www123.example.com as DNS labels at off; returns the offset after it. */
    private int name(int off, int n) {
        String prefix = NAME_PREFIXES[n & 3];
        int digits = 1;
        for (int v = n; v >= 10; v /= 10) {
            digits++;
        }
        frames.put8(off, prefix.length() + digits);
        int p = off + 1;
        for (int i = 0; i < prefix.length(); i++) {
            frames.put8(p++, prefix.charAt(i));
        }
        for (int i = digits - 1, v = n; i >= 0; i--, v /= 10) {
            frames.put8(p + i, '0' + v % 10);
        }
        p += digits;
        frames.put8(p++, EXAMPLE_LABEL.length);
        frames.copy(EXAMPLE_LABEL, 0, p, EXAMPLE_LABEL.length);
        p += EXAMPLE_LABEL.length;
        String zone = NAME_ZONES[(n >>> 2) % NAME_ZONES.length];
        frames.put8(p++, zone.length());
        for (int i = 0; i < zone.length(); i++) {
            frames.put8(p++, zone.charAt(i));
        }
        frames.put8(p++, 0);
        return p;
    }

    private int echo(Conversation c, int src, int dst, boolean request, int seq) {
        int proto = c.ipv6 ? FrameBuilder.PROTO_ICMPV6 : FrameBuilder.PROTO_ICMP;
        int l4 = frames.begin(src, dst, c.ipv6, proto);
        // Echo request/reply: 8/0 for ICMP (RFC 792), 128/129 for ICMPv6 (RFC 4443 4.1, 4.2).
        int type = c.ipv6 ? (request ? 128 : 129) : (request ? 8 : 0);
        frames.put8(l4, type);
        frames.put8(l4 + 1, 0);
        frames.put16(l4 + 4, c.clientPort);           // identifier: unique per conversation
        frames.put16(l4 + 6, seq);
        frames.copy(filler, seq & 0xFF, l4 + 8, PING_DATA);
        return frames.finish(8 + PING_DATA);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
