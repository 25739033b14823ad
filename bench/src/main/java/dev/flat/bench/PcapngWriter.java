package dev.flat.bench;

import java.io.IOException;
import java.io.OutputStream;

/**
 * pcapng (draft-ietf-opsawg-pcapng): one section, one Ethernet interface "eth0" with nanosecond
 * resolution (if_tsresol = 9), and an Enhanced Packet Block per frame carrying epb_flags with the
 * direction (bits 0-1: 1 inbound, 2 outbound; section 4.3.1).
 */
public final class PcapngWriter implements CaptureWriter {
    private static final int SECTION_HEADER_BLOCK = 0x0A0D_0D0A;
    private static final int INTERFACE_DESCRIPTION_BLOCK = 1;
    private static final int ENHANCED_PACKET_BLOCK = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B_3C4D;
    private static final int OPT_ENDOFOPT = 0;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final int EPB_FLAGS = 2;
    private static final byte[] INTERFACE_NAME = {'e', 't', 'h', '0'};

    private final LittleEndianOutput out;
    private final int snapLength;

    public PcapngWriter(OutputStream stream, int snapLength) throws IOException {
        this.out = new LittleEndianOutput(stream);
        this.snapLength = snapLength;
        out.u32(SECTION_HEADER_BLOCK);
        out.u32(28);
        out.u32(BYTE_ORDER_MAGIC);
        out.u16(1);                                   // version 1.0
        out.u16(0);
        out.u32(0xFFFF_FFFFL);                        // section length -1: not given
        out.u32(0xFFFF_FFFFL);
        out.u32(28);

        int idbLength = 20 + 8 + 8 + 4;               // header, if_name, if_tsresol, end of options
        out.u32(INTERFACE_DESCRIPTION_BLOCK);
        out.u32(idbLength);
        out.u16(PcapWriter.LINKTYPE_ETHERNET);
        out.u16(0);
        out.u32(snapLength);
        out.u16(IF_NAME);
        out.u16(INTERFACE_NAME.length);
        out.bytes(INTERFACE_NAME, 0, INTERFACE_NAME.length);
        out.u16(IF_TSRESOL);
        out.u16(1);
        out.bytes(new byte[] {9, 0, 0, 0}, 0, 4);     // 10^-9 s, padded to 32 bits
        out.u16(OPT_ENDOFOPT);
        out.u16(0);
        out.u32(idbLength);
    }

    @Override
    public void write(long tsNs, byte[] frame, int length, boolean outbound) throws IOException {
        int captured = Math.min(length, snapLength);
        int padded = (captured + 3) & ~3;
        int blockLength = 28 + padded + 8 + 4 + 4;     // header, data, epb_flags, end of options, trailer
        out.u32(ENHANCED_PACKET_BLOCK);
        out.u32(blockLength);
        out.u32(0);                                   // interface id
        out.u32(tsNs >>> 32);
        out.u32(tsNs);
        out.u32(captured);
        out.u32(length);
        out.bytes(frame, 0, captured);
        out.zeros(padded - captured);
        out.u16(EPB_FLAGS);
        out.u16(4);
        out.u32(outbound ? 2 : 1);
        out.u16(OPT_ENDOFOPT);
        out.u16(0);
        out.u32(blockLength);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
