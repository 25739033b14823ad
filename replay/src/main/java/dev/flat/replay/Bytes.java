package dev.flat.replay;

/**
 * Unsigned integer reads from a byte array in a stated byte order. Capture formats carry their
 * own byte order (pcap: the writer's, pcapng: per section, packets: network order), so every read
 * names it. Unsigned widening happens here and nowhere else.
 */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16be(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static int u16le(byte[] b, int i) {
        return (b[i + 1] & 0xFF) << 8 | (b[i] & 0xFF);
    }

    static long u32be(byte[] b, int i) {
        return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
    }

    static long u32le(byte[] b, int i) {
        return ((long) u16le(b, i + 2) << 16) | u16le(b, i);
    }

    static int u16(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? u16be(b, i) : u16le(b, i);
    }

    static long u32(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? u32be(b, i) : u32le(b, i);
    }

    static long s64(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? u32be(b, i) << 32 | u32be(b, i + 4) : u32le(b, i + 4) << 32 | u32le(b, i);
    }

    /** Rounds a length up to the 32-bit alignment pcapng pads block bodies and options to. */
    static long pad4(long n) {
        return (n + 3) & ~3L;
    }
}
