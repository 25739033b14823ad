package dev.flat.core.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over one event record as defined by {@code bpf/flat_event.h} (the one definition;
 * EventHeaderLayoutTest keeps these offsets in step with it).
 *
 * <pre>
 *  0      1      2      3      4      5      6      7      8      9      10    11
 * +------+------+------+------+------+------+------+------+------+------+-------------+
 * | type | ver  | dir  | ipv  |proto | ttl  |tcpflg|icmpty|icmpcd|tsdig | payload_len |
 * +------+------+------+------+------+------+------+------+------+------+-------------+
 * 12 ifindex (u32 LE)  16 ts_ns (u64 LE)
 * 24 saddr[16] (network order)          40 daddr[16] (network order)
 * 56 sport (u16 BE)  58 dport (u16 BE)  60 tcp_seq (u32 LE)  64 tcp_ack (u32 LE)
 * 68 payload[4] (as on the wire)        72 reserved[8]       80 end
 * </pre>
 *
 * The buffer must be little-endian ({@link #wrap} checks): host-order fields are read as
 * little-endian and the network-order ones are byte-swapped explicitly. The same view works over
 * a heap buffer (capture replay, event log) and a direct one (the ring). Nothing here allocates.
 */
public final class EventRecord {
    public static final int ENCODED_LENGTH = 80;
    public static final int TYPE_PACKET = 1;
    public static final int VERSION = 1;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int DIRECTION_OFFSET = 2;
    public static final int IP_VERSION_OFFSET = 3;
    public static final int IP_PROTO_OFFSET = 4;
    public static final int TTL_OFFSET = 5;
    public static final int TCP_FLAGS_OFFSET = 6;
    public static final int ICMP_TYPE_OFFSET = 7;
    public static final int ICMP_CODE_OFFSET = 8;
    public static final int TS_DIGITS_OFFSET = 9;
    public static final int PAYLOAD_LEN_OFFSET = 10;
    public static final int IFINDEX_OFFSET = 12;
    public static final int TS_NS_OFFSET = 16;
    public static final int SADDR_OFFSET = 24;
    public static final int DADDR_OFFSET = 40;
    public static final int SPORT_OFFSET = 56;
    public static final int DPORT_OFFSET = 58;
    public static final int TCP_SEQ_OFFSET = 60;
    public static final int TCP_ACK_OFFSET = 64;
    public static final int PAYLOAD_OFFSET = 68;
    public static final int RESERVED_OFFSET = 72;
    public static final int ADDR_LENGTH = 16;
    public static final int PAYLOAD_LENGTH = 4;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_ACK = 0x10;

    public static final int DIGITS_NS = 9;
    public static final int DIGITS_US = 6;

    private ByteBuffer buffer;
    private int offset;
    /**
     * The buffer's array when it has one (capture replay, the event log), else null (the ring's
     * direct memory): fields are then read and written through little-endian array views, which
     * the JIT compiles to one bounds check and one load or store, where every {@code ByteBuffer}
     * access also loads the buffer's limit, base, scope and byte order again (docs/performance.md,
     * finding 13).
     */
    private byte[] heap;
    private int heapBase;

    /** A record backed by its own zeroed heap buffer, for builders (the frame parser) and tests. */
    public static EventRecord allocate() {
        return new EventRecord().wrap(ByteBuffer.allocate(ENCODED_LENGTH).order(ByteOrder.LITTLE_ENDIAN), 0);
    }

    public EventRecord wrap(ByteBuffer buffer, int offset) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("event records are little-endian; set the buffer's order");
        }
        this.buffer = buffer;
        this.offset = offset;
        // The array views check the array's bounds only, so they are used only for a record that
        // lies within the buffer's limit; any other goes through the buffer, whose every access
        // checks the limit and throws as it always did.
        if (buffer.hasArray() && offset >= 0 && offset <= buffer.limit() - ENCODED_LENGTH) {
            heap = buffer.array();
            heapBase = buffer.arrayOffset() + offset;
        } else {
            heap = null;
            heapBase = 0;
        }
        return this;
    }

    public ByteBuffer buffer() { return buffer; }
    public int offset() { return offset; }

    public int type() { return u8(TYPE_OFFSET); }
    public int version() { return u8(VERSION_OFFSET); }
    /** {@link Direction#code()}. */
    public int direction() { return u8(DIRECTION_OFFSET); }
    public int ipVersion() { return u8(IP_VERSION_OFFSET); }
    public int ipProto() { return u8(IP_PROTO_OFFSET); }
    public int ttl() { return u8(TTL_OFFSET); }
    public int tcpFlags() { return u8(TCP_FLAGS_OFFSET); }
    public int icmpType() { return u8(ICMP_TYPE_OFFSET); }
    public int icmpCode() { return u8(ICMP_CODE_OFFSET); }
    public int tsDigits() { return u8(TS_DIGITS_OFFSET); }
    public int payloadLen() { return getShort(PAYLOAD_LEN_OFFSET) & 0xFFFF; }
    public long ifindex() { return getInt(IFINDEX_OFFSET) & 0xFFFF_FFFFL; }
    public long tsNs() { return getLong(TS_NS_OFFSET); }
    /** High 8 bytes of the source address as a big-endian long (for hashing and equality). */
    public long saddrHi() { return Long.reverseBytes(getLong(SADDR_OFFSET)); }
    public long saddrLo() { return Long.reverseBytes(getLong(SADDR_OFFSET + 8)); }
    public long daddrHi() { return Long.reverseBytes(getLong(DADDR_OFFSET)); }
    public long daddrLo() { return Long.reverseBytes(getLong(DADDR_OFFSET + 8)); }
    public int sport() { return Short.reverseBytes(getShort(SPORT_OFFSET)) & 0xFFFF; }
    public int dport() { return Short.reverseBytes(getShort(DPORT_OFFSET)) & 0xFFFF; }
    public long tcpSeq() { return getInt(TCP_SEQ_OFFSET) & 0xFFFF_FFFFL; }
    public long tcpAck() { return getInt(TCP_ACK_OFFSET) & 0xFFFF_FFFFL; }
    /** The first four UDP payload bytes as a big-endian int (DNS: id in the high 16 bits, flags low). */
    public int payloadWord() { return Integer.reverseBytes(getInt(PAYLOAD_OFFSET)); }

    public void copySaddr(byte[] dst, int dstOffset) { buffer.get(offset + SADDR_OFFSET, dst, dstOffset, ADDR_LENGTH); }
    public void copyDaddr(byte[] dst, int dstOffset) { buffer.get(offset + DADDR_OFFSET, dst, dstOffset, ADDR_LENGTH); }

    /** Zeroes the whole record (the reserved bytes must stay zero). */
    public EventRecord clear() {
        for (int i = 0; i < ENCODED_LENGTH; i += 8) {
            putLong(i, 0L);
        }
        return this;
    }

    public EventRecord type(int v) { return u8(TYPE_OFFSET, v); }
    public EventRecord version(int v) { return u8(VERSION_OFFSET, v); }
    public EventRecord direction(int v) { return u8(DIRECTION_OFFSET, v); }
    public EventRecord ipVersion(int v) { return u8(IP_VERSION_OFFSET, v); }
    public EventRecord ipProto(int v) { return u8(IP_PROTO_OFFSET, v); }
    public EventRecord ttl(int v) { return u8(TTL_OFFSET, v); }
    public EventRecord tcpFlags(int v) { return u8(TCP_FLAGS_OFFSET, v); }
    public EventRecord icmpType(int v) { return u8(ICMP_TYPE_OFFSET, v); }
    public EventRecord icmpCode(int v) { return u8(ICMP_CODE_OFFSET, v); }
    public EventRecord tsDigits(int v) { return u8(TS_DIGITS_OFFSET, v); }
    public EventRecord payloadLen(int v) { putShort(PAYLOAD_LEN_OFFSET, (short) v); return this; }
    public EventRecord ifindex(long v) { putInt(IFINDEX_OFFSET, (int) v); return this; }
    public EventRecord tsNs(long v) { putLong(TS_NS_OFFSET, v); return this; }
    public EventRecord sport(int v) { putShort(SPORT_OFFSET, Short.reverseBytes((short) v)); return this; }
    public EventRecord dport(int v) { putShort(DPORT_OFFSET, Short.reverseBytes((short) v)); return this; }
    public EventRecord tcpSeq(long v) { putInt(TCP_SEQ_OFFSET, (int) v); return this; }
    public EventRecord tcpAck(long v) { putInt(TCP_ACK_OFFSET, (int) v); return this; }

    /** Sets the source address from 16 bytes in network order. */
    public EventRecord saddr(byte[] src, int srcOffset) { buffer.put(offset + SADDR_OFFSET, src, srcOffset, ADDR_LENGTH); return this; }
    public EventRecord daddr(byte[] src, int srcOffset) { buffer.put(offset + DADDR_OFFSET, src, srcOffset, ADDR_LENGTH); return this; }

    /**
     * Sets the source address from its high and low 8 bytes as big-endian longs (the inverse of
     * {@link #saddrHi()} and {@link #saddrLo()}): one store per half for builders that have the
     * address in registers already.
     */
    public EventRecord saddr(long hi, long lo) { return putAddress(SADDR_OFFSET, hi, lo); }
    public EventRecord daddr(long hi, long lo) { return putAddress(DADDR_OFFSET, hi, lo); }

    /** Sets the four payload bytes from a big-endian int (the inverse of {@link #payloadWord()}). */
    public EventRecord payloadWord(int v) { putInt(PAYLOAD_OFFSET, Integer.reverseBytes(v)); return this; }

    /** Sets the source address to the IPv4-mapped form ::ffff:a.b.c.d of four bytes at srcOffset. */
    public EventRecord saddrV4(byte[] src, int srcOffset) { return putV4(SADDR_OFFSET, src, srcOffset); }
    public EventRecord daddrV4(byte[] src, int srcOffset) { return putV4(DADDR_OFFSET, src, srcOffset); }

    /** Copies up to four payload bytes; the rest stay zero. */
    public EventRecord payload(byte[] src, int srcOffset, int length) {
        int n = Math.min(Math.max(length, 0), PAYLOAD_LENGTH);
        putInt(PAYLOAD_OFFSET, 0);
        buffer.put(offset + PAYLOAD_OFFSET, src, srcOffset, n);
        return this;
    }

    /**
     * Sets bytes 0-23 of a packet record (type, version and the per-packet fields before the
     * addresses) in three 8-byte stores. With {@link #saddr(long, long)}, {@link #daddr(long, long)}
     * and {@link #transport} it writes every byte of the record once, so that a parser needs no
     * {@link #clear()} and no store per field: the frame parser's record writes went from about
     * thirty bounds-checked buffer accesses per event to ten (docs/performance.md, finding 13).
     */
    public EventRecord packetHead(int direction, int ipVersion, int ipProto, int ttl, int tcpFlags, int icmpType,
                                  int icmpCode, int tsDigits, int payloadLen, long ifindex, long tsNs) {
        long bytes0to7 = TYPE_PACKET | (long) VERSION << 8 | (long) (direction & 0xFF) << 16
                | (long) (ipVersion & 0xFF) << 24 | (long) (ipProto & 0xFF) << 32 | (long) (ttl & 0xFF) << 40
                | (long) (tcpFlags & 0xFF) << 48 | (long) (icmpType & 0xFF) << 56;
        long bytes8to15 = (icmpCode & 0xFF) | (tsDigits & 0xFF) << 8 | (long) (payloadLen & 0xFFFF) << 16
                | (ifindex & 0xFFFF_FFFFL) << 32;
        putLong(TYPE_OFFSET, bytes0to7);
        putLong(ICMP_CODE_OFFSET, bytes8to15);
        putLong(TS_NS_OFFSET, tsNs);
        return this;
    }

    /**
     * Sets bytes 56-79: ports (or ICMP identifier and sequence), TCP sequence and acknowledgement
     * numbers, the payload word (big-endian, as {@link #payloadWord(int)}) and the zero reserved
     * bytes, in three 8-byte stores.
     */
    public EventRecord transport(int sport, int dport, long tcpSeq, long tcpAck, int payloadWord) {
        long bytes56to63 = (Short.reverseBytes((short) sport) & 0xFFFFL)
                | (Short.reverseBytes((short) dport) & 0xFFFFL) << 16 | (tcpSeq & 0xFFFF_FFFFL) << 32;
        long bytes64to71 = (tcpAck & 0xFFFF_FFFFL) | (Integer.reverseBytes(payloadWord) & 0xFFFF_FFFFL) << 32;
        putLong(SPORT_OFFSET, bytes56to63);
        putLong(TCP_ACK_OFFSET, bytes64to71);
        putLong(RESERVED_OFFSET, 0L);
        return this;
    }

    /** Copies this record's 80 bytes into another record (for sources that reuse their buffer). */
    public void copyTo(EventRecord dst) {
        for (int i = 0; i < ENCODED_LENGTH; i += 8) {
            dst.buffer.putLong(dst.offset + i, buffer.getLong(offset + i));
        }
    }

    private EventRecord putAddress(int field, long hi, long lo) {
        putLong(field, Long.reverseBytes(hi));
        putLong(field + 8, Long.reverseBytes(lo));
        return this;
    }

    private EventRecord putV4(int field, byte[] src, int srcOffset) {
        putLong(field, 0L);
        // ::ffff:0:0/96, RFC 4291 section 2.5.5.2
        putInt(field + 8, 0xFFFF_0000);
        buffer.put(offset + field + 12, src, srcOffset, 4);
        return this;
    }

    private int u8(int field) { return heap != null ? heap[heapBase + field] & 0xFF : buffer.get(offset + field) & 0xFF; }
    private EventRecord u8(int field, int v) {
        if (heap != null) {
            heap[heapBase + field] = (byte) v;
        } else {
            buffer.put(offset + field, (byte) v);
        }
        return this;
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private long getLong(int field) {
        return heap != null ? (long) LONG_LE.get(heap, heapBase + field) : buffer.getLong(offset + field);
    }

    private int getInt(int field) {
        return heap != null ? (int) INT_LE.get(heap, heapBase + field) : buffer.getInt(offset + field);
    }

    private short getShort(int field) {
        return heap != null ? (short) SHORT_LE.get(heap, heapBase + field) : buffer.getShort(offset + field);
    }

    private void putLong(int field, long v) {
        if (heap != null) {
            LONG_LE.set(heap, heapBase + field, v);
        } else {
            buffer.putLong(offset + field, v);
        }
    }

    private void putInt(int field, int v) {
        if (heap != null) {
            INT_LE.set(heap, heapBase + field, v);
        } else {
            buffer.putInt(offset + field, v);
        }
    }

    private void putShort(int field, short v) {
        if (heap != null) {
            SHORT_LE.set(heap, heapBase + field, v);
        } else {
            buffer.putShort(offset + field, v);
        }
    }
}
