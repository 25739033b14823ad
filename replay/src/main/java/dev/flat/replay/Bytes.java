package dev.flat.replay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Unsigned integer reads from a byte array in a stated byte order. Capture formats carry their
 * own byte order (pcap: the writer's, pcapng: per section, packets: network order), so every read
 * names it. Unsigned widening happens here and nowhere else.
 *
 * <p>Multi-byte reads go through byte-array views, which the JIT compiles to one bounds check and
 * one (byte-swapped) load, where a composition of single-byte reads stays several loads.
 */
final class Bytes {
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16be(byte[] b, int i) {
        return (short) SHORT_BE.get(b, i) & 0xFFFF;
    }

    static int u16le(byte[] b, int i) {
        return (short) SHORT_LE.get(b, i) & 0xFFFF;
    }

    static long u32be(byte[] b, int i) {
        return (int) INT_BE.get(b, i) & 0xFFFF_FFFFL;
    }

    static long u32le(byte[] b, int i) {
        return (int) INT_LE.get(b, i) & 0xFFFF_FFFFL;
    }

    /** Four bytes in network order as an int, all 32 bits significant. */
    static int s32be(byte[] b, int i) {
        return (int) INT_BE.get(b, i);
    }

    /** Eight bytes in network order as a long, all 64 bits significant. */
    static long s64be(byte[] b, int i) {
        return (long) LONG_BE.get(b, i);
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
