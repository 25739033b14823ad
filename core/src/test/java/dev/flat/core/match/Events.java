package dev.flat.core.match;

import dev.flat.core.event.EventRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds event records for matcher tests. Addresses are literals ("10.0.0.1", "fd00::1"). */
final class Events {
    /** 2023-11-14T22:13:20Z, an arbitrary capture time. */
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    static final int SYN = EventRecord.TCP_SYN;
    static final int SYN_ACK = EventRecord.TCP_SYN | EventRecord.TCP_ACK;
    static final int RST = EventRecord.TCP_RST;
    static final int RST_ACK = EventRecord.TCP_RST | EventRecord.TCP_ACK;
    static final int ACK = EventRecord.TCP_ACK;

    private Events() {}

    static EventRecord tcp(String src, int sport, String dst, int dport, int flags, long seq, long ack, long ts) {
        return packet(src, dst, EventRecord.PROTO_TCP, ts).sport(sport).dport(dport)
                .tcpFlags(flags).tcpSeq(seq).tcpAck(ack);
    }

    static EventRecord syn(String src, int sport, String dst, int dport, long seq, long ts) {
        return tcp(src, sport, dst, dport, SYN, seq, 0, ts);
    }

    /** The SYN/ACK a server sends back for a SYN with sequence number synSeq. */
    static EventRecord synAck(String src, int sport, String dst, int dport, long synSeq, long ts) {
        return tcp(src, sport, dst, dport, SYN_ACK, 0x5000, (synSeq + 1) & 0xFFFF_FFFFL, ts);
    }

    /** A UDP datagram whose payload starts with the given bytes (payload_len = payloadLen). */
    static EventRecord udp(String src, int sport, String dst, int dport, long ts, int payloadLen, byte... payload) {
        return packet(src, dst, EventRecord.PROTO_UDP, ts).sport(sport).dport(dport)
                .payloadLen(payloadLen).payload(payload, 0, payload.length);
    }

    static EventRecord udp(String src, int sport, String dst, int dport, long ts) {
        return udp(src, sport, dst, dport, ts, 20, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, (byte) 0x01);
    }

    /** A standard query (opcode 0, RD) with a 33-byte body, as a stub resolver sends. */
    static EventRecord dnsQuery(String client, int cport, String server, int id, long ts) {
        return udp(client, cport, server, 53, ts, 45, dnsWord(id, 0x0100));
    }

    /** A NOERROR response (QR, RD, RA). */
    static EventRecord dnsResponse(String server, String client, int cport, int id, long ts) {
        return udp(server, 53, client, cport, ts, 61, dnsWord(id, 0x8180));
    }

    static byte[] dnsWord(int id, int flags) {
        return new byte[] {(byte) (id >>> 8), (byte) id, (byte) (flags >>> 8), (byte) flags};
    }

    /** ICMP echo (request or reply by type); ICMPv6 when the addresses are IPv6. */
    static EventRecord echo(String src, String dst, int type, int id, int seq, long ts) {
        boolean v6 = address(src).length == 16 && !isMapped(address(src));
        EventRecord e = packet(src, dst, v6 ? EventRecord.PROTO_ICMPV6 : EventRecord.PROTO_ICMP, ts);
        return e.icmpType(type).sport(id).dport(seq);
    }

    static EventRecord packet(String src, String dst, int proto, long ts) {
        byte[] s = address(src);
        byte[] d = address(dst);
        EventRecord e = EventRecord.allocate()
                .type(EventRecord.TYPE_PACKET).version(EventRecord.VERSION)
                .ipProto(proto).ttl(64).tsDigits(EventRecord.DIGITS_NS).tsNs(ts)
                .direction(0).ifindex(0);
        if (s.length == 4) {
            e.ipVersion(4).saddrV4(s, 0).daddrV4(d, 0);
        } else {
            e.ipVersion(6).saddr(s, 0).daddr(d, 0);
        }
        return e;
    }

    /** The address as the record and the exchange hold it: IPv4-mapped when IPv4. */
    static long hi(String literal) { return ByteBuffer.wrap(mapped(literal)).getLong(0); }
    static long lo(String literal) { return ByteBuffer.wrap(mapped(literal)).getLong(8); }

    private static byte[] mapped(String literal) {
        byte[] a = address(literal);
        if (a.length == 16) {
            return a;
        }
        byte[] m = new byte[16];
        m[10] = (byte) 0xFF;
        m[11] = (byte) 0xFF;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
    }

    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException ex) {
            throw new IllegalArgumentException(literal, ex);
        }
    }

    /** Collects copies of the exchanges a matcher reports. */
    static final class Recorder implements ExchangeListener {
        final List<Exchange> exchanges = new ArrayList<>();

        @Override
        public void onExchange(Exchange exchange) { exchanges.add(exchange.copy()); }

        Exchange only() {
            if (exchanges.size() != 1) {
                throw new AssertionError("expected one exchange, got " + exchanges.size());
            }
            return exchanges.get(0);
        }
    }
}
