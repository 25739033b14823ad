package dev.flat.bench;

/**
 * The synthetic hosts: clients and servers by index, each with a MAC, an IPv4 and an IPv6 address,
 * all held in flat arrays so that building a frame reads them without creating objects.
 *
 * <p>Addresses come from ranges reserved for documentation and private use, so a generated capture
 * can never be mistaken for real traffic: clients 10.1.0.0/16 (RFC 1918) and 2001:db8:1::/48,
 * servers 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737) and 2001:db8:2::/48 (RFC 3849).
 * MACs are locally administered (bit 1 of the first octet set, IEEE 802 / RFC 7042 section 2.1).
 */
final class HostTable {
    static final int CLIENTS = 4096;
    static final int SERVERS = 192;

    private static final int[] SERVER_V4_PREFIXES = {0xC0_00_02_00, 0xC6_33_64_00, 0xCB_00_71_00};
    /** Servers run assorted systems: Linux/BSD start at 64, Windows at 128, network gear at 255. */
    private static final int[] SERVER_INITIAL_TTLS = {64, 128, 255};

    private final byte[] mac = new byte[(CLIENTS + SERVERS) * 6];
    private final byte[] v4 = new byte[(CLIENTS + SERVERS) * 4];
    private final byte[] v6 = new byte[(CLIENTS + SERVERS) * 16];
    private final int[] ttlAtCapture = new int[CLIENTS + SERVERS];

    HostTable() {
        for (int h = 0; h < CLIENTS + SERVERS; h++) {
            boolean server = h >= CLIENTS;
            int n = server ? h - CLIENTS : h;
            mac[h * 6] = 0x02;
            mac[h * 6 + 1] = (byte) (server ? 0x5E : 0x1C);
            mac[h * 6 + 4] = (byte) (n >>> 8);
            mac[h * 6 + 5] = (byte) n;
            int a = server
                    ? SERVER_V4_PREFIXES[n % SERVER_V4_PREFIXES.length] | (n / SERVER_V4_PREFIXES.length + 1)
                    : 0x0A_01_00_00 | (n + 1);
            putInt(v4, h * 4, a);
            putInt(v6, h * 16, 0x2001_0DB8);
            v6[h * 16 + 5] = (byte) (server ? 2 : 1);
            putInt(v6, h * 16 + 12, n + 1);
            // A server's packets arrive with its initial TTL minus 2 to 18 hops; clients are local.
            ttlAtCapture[h] = server ? SERVER_INITIAL_TTLS[n % SERVER_INITIAL_TTLS.length] - (n % 17 + 2) : 64;
        }
    }

    static int client(int n) { return n % CLIENTS; }
    static int server(int n) { return CLIENTS + n % SERVERS; }

    /** TTL or hop limit of the host's packets where the capture is taken. */
    int ttl(int host) { return ttlAtCapture[host]; }

    void copyMac(int host, byte[] dst, int off) { System.arraycopy(mac, host * 6, dst, off, 6); }
    void copyV4(int host, byte[] dst, int off) { System.arraycopy(v4, host * 4, dst, off, 4); }
    void copyV6(int host, byte[] dst, int off) { System.arraycopy(v6, host * 16, dst, off, 16); }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
