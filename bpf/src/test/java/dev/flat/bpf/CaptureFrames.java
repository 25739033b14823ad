package dev.flat.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The raw frames of a classic pcap or pcapng file (gzip-wrapped or not), for the parity test,
 * which needs frames rather than the events the replay readers produce. Best effort by design:
 * it stops quietly at the first malformed record, since any bytes make a valid parity input.
 * pcapng link types are per interface and byte order per section, so files mixing link types
 * (which libpcap refuses) are read whole.
 */
final class CaptureFrames {
    /** Test inputs are small; anything larger is not one of them. */
    private static final int MAX_FILE = 64 << 20;

    interface FrameConsumer {
        void accept(int linkType, byte[] buf, int off, int capLen) throws IOException;
    }

    private CaptureFrames() {
    }

    /** Feeds every frame to the consumer; returns a note when the file stopped early, else null. */
    static String forEach(Path file, FrameConsumer consumer) throws IOException {
        byte[] bytes = read(file);
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                bytes = in.readNBytes(MAX_FILE);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < 24) {
            return "shorter than any capture header";
        }
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0x0A0D0D0A) {
            return pcapng(b, consumer);
        }
        return pcap(b, consumer);
    }

    private static String pcap(ByteBuffer b, FrameConsumer consumer) throws IOException {
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
                return "not a pcap or pcapng file";
            }
        }
        int linkType = b.getInt(20) & 0xFFFF;
        int at = 24;
        while (at + 16 <= b.limit()) {
            int capLen = b.getInt(at + 8);
            if (capLen < 0 || capLen > b.limit() - at - 16) {
                return "record at offset " + at + " cut short or malformed";
            }
            consumer.accept(linkType, b.array(), at + 16, capLen);
            at += 16 + capLen;
        }
        return at == b.limit() ? null : "trailing bytes at offset " + at;
    }

    private static String pcapng(ByteBuffer b, FrameConsumer consumer) throws IOException {
        List<Integer> linkTypes = new ArrayList<>();
        ByteOrder section = ByteOrder.LITTLE_ENDIAN;
        int at = 0;
        while (at + 12 <= b.limit()) {
            // The section header's type reads the same in both orders; its byte-order magic
            // decides the order of everything up to the next section header.
            int type = b.order(ByteOrder.BIG_ENDIAN).getInt(at);
            if (type == 0x0A0D0D0A) {
                int bom = b.order(ByteOrder.LITTLE_ENDIAN).getInt(at + 8);
                section = bom == 0x1A2B3C4D ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                linkTypes.clear();
            }
            b.order(section);
            type = b.getInt(at);
            int length = b.getInt(at + 4);
            if (length < 12 || length % 4 != 0 || length > b.limit() - at) {
                return "block at offset " + at + " malformed";
            }
            switch (type) {
                case 1 -> linkTypes.add(b.getShort(at + 8) & 0xFFFF);
                case 2, 6 -> { // obsolete packet block (u16 interface), enhanced packet block
                    int iface = type == 2 ? b.getShort(at + 8) & 0xFFFF : b.getInt(at + 8);
                    int capLen = b.getInt(at + 20);
                    if (length >= 32 && iface >= 0 && iface < linkTypes.size() && capLen >= 0 && capLen <= length - 32) {
                        consumer.accept(linkTypes.get(iface), b.array(), at + 28, capLen);
                    }
                }
                case 3 -> { // simple packet block: interface 0, length from the block
                    if (!linkTypes.isEmpty() && length >= 16) {
                        int capLen = Math.min(length - 16, Math.max(b.getInt(at + 8), 0));
                        consumer.accept(linkTypes.get(0), b.array(), at + 12, capLen);
                    }
                }
                default -> { }
            }
            at += length;
        }
        return at == b.limit() ? null : "trailing bytes at offset " + at;
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_FILE);
        }
    }
}
