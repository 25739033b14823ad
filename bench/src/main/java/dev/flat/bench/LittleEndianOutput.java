package dev.flat.bench;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffered little-endian writer: capture headers are written in the generating host's byte
 * order by convention, and little-endian is what every reader sees most.
 */
final class LittleEndianOutput {
    private static final int BUFFER_SIZE = 1 << 20;
    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;

    LittleEndianOutput(OutputStream out) {
        this.out = out;
    }

    void u16(int v) throws IOException {
        ensure(2);
        buf[pos++] = (byte) v;
        buf[pos++] = (byte) (v >>> 8);
    }

    void u32(long v) throws IOException {
        ensure(4);
        buf[pos++] = (byte) v;
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 24);
    }

    void bytes(byte[] src, int off, int len) throws IOException {
        if (len > buf.length - pos) {
            flush();
            if (len > buf.length) {
                out.write(src, off, len);
                return;
            }
        }
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    void zeros(int n) throws IOException {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = 0;
        }
    }

    void flush() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    void close() throws IOException {
        flush();
        out.close();
    }

    private void ensure(int n) throws IOException {
        if (buf.length - pos < n) {
            flush();
        }
    }
}
