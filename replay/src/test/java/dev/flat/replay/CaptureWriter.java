package dev.flat.replay;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes small pcap and pcapng files in either byte order, for reader tests. */
final class CaptureWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    CaptureWriter(ByteOrder order) {
        this.order = order;
    }

    byte[] bytes() { return out.toByteArray(); }

    CaptureWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    // ---- classic pcap ----

    CaptureWriter pcapHeader(int magic, int major, int minor, int snapLen, int linkType) {
        return raw(buf(24).putInt(magic).putShort((short) major).putShort((short) minor).putInt(0).putInt(0)
                .putInt(snapLen).putInt(linkType).array());
    }

    CaptureWriter pcapRecord(long seconds, long fraction, byte[] frame) {
        return pcapRecord(seconds, fraction, frame.length, frame.length, frame);
    }

    CaptureWriter pcapRecord(long seconds, long fraction, int capLen, int origLen, byte[] data) {
        raw(buf(16).putInt((int) seconds).putInt((int) fraction).putInt(capLen).putInt(origLen).array());
        return raw(data);
    }

    // ---- pcapng ----

    /** Section header; switches the writer to the section's byte order. */
    CaptureWriter shb(ByteOrder sectionOrder, int major, int minor, byte[]... options) {
        order = sectionOrder;
        ByteBuffer body = buf(16).putInt(0x1A2B3C4D).putShort((short) major).putShort((short) minor).putLong(-1);
        return block(0x0A0D0D0A, concat(body.array(), options(options)));
    }

    CaptureWriter idb(int linkType, int snapLen, byte[]... options) {
        return block(1, concat(buf(8).putShort((short) linkType).putShort((short) 0).putInt(snapLen).array(),
                options(options)));
    }

    CaptureWriter epb(int interfaceId, long units, byte[] frame, byte[]... options) {
        ByteBuffer h = buf(20).putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(frame.length).putInt(frame.length);
        return block(6, concat(h.array(), padded(frame), options(options)));
    }

    CaptureWriter spb(int origLen, byte[] frame) {
        return block(3, concat(buf(4).putInt(origLen).array(), padded(frame)));
    }

    CaptureWriter obsoletePacket(int interfaceId, long units, byte[] frame, byte[]... options) {
        ByteBuffer h = buf(20).putShort((short) interfaceId).putShort((short) 0).putInt((int) (units >>> 32))
                .putInt((int) units).putInt(frame.length).putInt(frame.length);
        return block(2, concat(h.array(), padded(frame), options(options)));
    }

    CaptureWriter block(int type, byte[] body) {
        int length = 12 + body.length;
        raw(buf(8).putInt(type).putInt(length).array());
        raw(body);
        return raw(buf(4).putInt(length).array());
    }

    byte[] option(int code, byte[] value) {
        return concat(buf(4).putShort((short) code).putShort((short) value.length).array(), padded(value));
    }

    byte[] u32Option(int code, long value) {
        return option(code, buf(4).putInt((int) value).array());
    }

    byte[] u64Option(int code, long value) {
        return option(code, buf(8).putLong(value).array());
    }

    private byte[] options(byte[]... options) {
        if (options.length == 0) {
            return new byte[0];
        }
        return concat(concat(options), new byte[4]); // opt_endofopt
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    static byte[] padded(byte[] b) {
        return java.util.Arrays.copyOf(b, (b.length + 3) & ~3);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
