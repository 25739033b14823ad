package dev.flat.bench;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Classic pcap with nanosecond timestamps (magic a1b23c4d, version 2.4, LINKTYPE_ETHERNET;
 * draft-ietf-opsawg-pcap section 4). Frames longer than the snap length are cut to it, with the
 * original length kept, as libpcap does.
 */
public final class PcapWriter implements CaptureWriter {
    static final long MAGIC_NANOSECOND = 0xA1B2_3C4DL;
    static final int LINKTYPE_ETHERNET = 1;
    private final LittleEndianOutput out;
    private final int snapLength;

    public PcapWriter(OutputStream stream, int snapLength) throws IOException {
        this.out = new LittleEndianOutput(stream);
        this.snapLength = snapLength;
        out.u32(MAGIC_NANOSECOND);
        out.u16(2);                                   // version 2.4
        out.u16(4);
        out.u32(0);                                   // reserved (was thiszone)
        out.u32(0);                                   // reserved (was sigfigs)
        out.u32(snapLength);
        out.u32(LINKTYPE_ETHERNET);
    }

    @Override
    public void write(long tsNs, byte[] frame, int length, boolean outbound) throws IOException {
        int captured = Math.min(length, snapLength);
        out.u32(tsNs / 1_000_000_000L);
        out.u32(tsNs % 1_000_000_000L);
        out.u32(captured);
        out.u32(length);
        out.bytes(frame, 0, captured);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
