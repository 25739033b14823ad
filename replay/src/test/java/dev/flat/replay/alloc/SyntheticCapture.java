package dev.flat.replay.alloc;

import java.io.ByteArrayOutputStream;

/**
 * A nanosecond classic pcap (Ethernet) of many short conversations, every request answered at
 * once, so a matcher fed with it reaches a steady state: per conversation a TCP handshake, an
 * ACK and a data segment (skipped by the parser), a DNS query/response over IPv6, a UDP
 * request/reply and an ICMP echo request/reply; ten frames each. Checksums are left zero: the
 * frame parser does not verify them. (The realistic workload for benchmarks is bench's
 * WorkloadGenerator; this one is small enough to live next to the test that needs it.)
 */
final class SyntheticCapture {
    static final int FRAMES_PER_CONVERSATION = 10;
    /** Capture events per conversation: SYN, SYN/ACK, 2 DNS, 2 UDP, 2 ICMP. */
    static final int EVENTS_PER_CONVERSATION = 8;
    static final long START_NS = 1_714_564_800_000_000_000L;
    /** Capture time one conversation takes; conversation c starts at START_NS + c * this. */
    static final long CONVERSATION_NS = 100_000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final byte[] f = new byte[1514];

    static byte[] pcap(int conversations) {
        SyntheticCapture s = new SyntheticCapture();
        s.header();
        for (int c = 0; c < conversations; c++) {
            s.conversation(c);
        }
        return s.out.toByteArray();
    }

    private void conversation(int c) {
        long t = START_NS + c * CONVERSATION_NS;
        int port = 1024 + c % 60_000;
        long seq = (c * 2_654_435_761L) & 0xFFFF_FFFFL;
        // TCP over IPv4: SYN, SYN/ACK, ACK, data.
        record(t, tcp(c, true, port, 443, seq, 0, 0x02, 0));
        record(t + 1_000, tcp(c, false, 443, port, 77, seq + 1, 0x12, 0));
        record(t + 2_000, tcp(c, true, port, 443, seq + 1, 78, 0x10, 0));
        record(t + 3_000, tcp(c, true, port, 443, seq + 1, 78, 0x18, 500));
        // DNS over IPv6: query and response with the same id.
        record(t + 4_000, udp6(c, true, port, 53, c & 0xFFFF, 0x0100));
        record(t + 5_000, udp6(c, false, 53, port, c & 0xFFFF, 0x8180));
        // UDP over IPv4 to NTP.
        record(t + 6_000, udp4(c, true, port, 123));
        record(t + 7_000, udp4(c, false, 123, port));
        // ICMP echo over IPv4.
        record(t + 8_000, echo(c, true, port));
        record(t + 9_000, echo(c, false, port));
    }

    private int ipv4(int c, boolean fromClient, int proto, int l4Length) {
        ethernet(0x0800);
        f[14] = 0x45;
        put16(16, 20 + l4Length);
        f[22] = 64;
        f[23] = (byte) proto;
        int client = 14 + (fromClient ? 12 : 16);
        int server = 14 + (fromClient ? 16 : 12);
        f[client] = 10; f[client + 1] = (byte) (c >>> 16); f[client + 2] = (byte) (c >>> 8); f[client + 3] = (byte) c;
        f[server] = (byte) 192; f[server + 1] = 0; f[server + 2] = 2; f[server + 3] = (byte) (1 + c % 200);
        return 34;
    }

    private int tcp(int c, boolean fromClient, int sport, int dport, long seq, long ack, int flags, int payload) {
        int l4 = ipv4(c, fromClient, 6, 20 + payload);
        put16(l4, sport);
        put16(l4 + 2, dport);
        put32(l4 + 4, seq);
        put32(l4 + 8, ack);
        f[l4 + 12] = 0x50;
        f[l4 + 13] = (byte) flags;
        put16(l4 + 14, 502);
        return l4 + 20 + payload;
    }

    private int udp4(int c, boolean fromClient, int sport, int dport) {
        int l4 = ipv4(c, fromClient, 17, 8 + 48);
        put16(l4, sport);
        put16(l4 + 2, dport);
        put16(l4 + 4, 8 + 48);
        f[l4 + 8] = (byte) (fromClient ? 0x23 : 0x24);   // NTP v4 client / server mode
        return l4 + 8 + 48;
    }

    private int udp6(int c, boolean fromClient, int sport, int dport, int id, int flags) {
        int dns = 12 + 17 + 4;                          // header, "\3www\7example\3com\0", type+class
        ethernet(0x86DD);
        f[14] = 0x60;
        put16(18, 8 + dns);
        f[20] = 17;
        f[21] = 64;
        int client = 14 + (fromClient ? 8 : 24);
        int server = 14 + (fromClient ? 24 : 8);
        put32(client, 0x2001_0DB8L); put32(client + 4, 1); put32(client + 8, 0); put32(client + 12, c);
        put32(server, 0x2001_0DB8L); put32(server + 4, 2); put32(server + 8, 0); put32(server + 12, 1 + c % 8);
        int l4 = 54;
        put16(l4, sport);
        put16(l4 + 2, dport);
        put16(l4 + 4, 8 + dns);
        int m = l4 + 8;
        put16(m, id);
        put16(m + 2, flags);
        put16(m + 4, 1);
        byte[] name = {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
        System.arraycopy(name, 0, f, m + 12, name.length);
        put16(m + 12 + name.length, 1);
        put16(m + 14 + name.length, 1);
        return m + dns;
    }

    private int echo(int c, boolean request, int id) {
        int l4 = ipv4(c, request, 1, 8 + 56);
        f[l4] = (byte) (request ? 8 : 0);
        put16(l4 + 4, id);
        put16(l4 + 6, 1);
        return l4 + 8 + 56;
    }

    private void ethernet(int etherType) {
        java.util.Arrays.fill(f, (byte) 0);
        f[0] = 0x02; f[5] = 1;                          // locally administered MACs
        f[6] = 0x02; f[11] = 2;
        put16(12, etherType);
    }

    private void header() {
        le32(0xA1B2_3C4DL);                             // nanosecond pcap
        le16(2); le16(4); le32(0); le32(0); le32(65_535); le32(1);
    }

    private void record(long tsNs, int length) {
        le32(tsNs / 1_000_000_000L);
        le32(tsNs % 1_000_000_000L);
        le32(length);
        le32(length);
        out.write(f, 0, length);
    }

    private void put16(int off, int v) { f[off] = (byte) (v >>> 8); f[off + 1] = (byte) v; }
    private void put32(int off, long v) { put16(off, (int) (v >>> 16)); put16(off + 2, (int) v); }
    private void le16(int v) { out.write(v); out.write(v >>> 8); }
    private void le32(long v) { le16((int) v); le16((int) (v >>> 16)); }
}
