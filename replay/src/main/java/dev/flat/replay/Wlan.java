package dev.flat.replay;

import static dev.flat.replay.Bytes.u16le;
import static dev.flat.replay.Bytes.u32le;
import static dev.flat.replay.Bytes.u8;

import dev.flat.core.input.SkipReason;

/**
 * IEEE 802.11 data frames, bare (LINKTYPE_IEEE802_11) or after a radiotap header
 * (LINKTYPE_IEEE802_11_RADIOTAP), down to the ethertype of their LLC/SNAP header. Steps of
 * {@link LinkLayers}, on its frame state, with its results ({@link LinkLayers#SKIPPED},
 * {@link LinkLayers#WANT_WHOLE_FRAME}).
 *
 * <pre>
 * radiotap:  version 0 | pad | length (LE) | present (LE) [| present...] | fields, naturally aligned
 * 802.11:    frame control (2) | duration (2) | address 1, 2, 3 (6 each) | sequence control (LE)
 *            [| address 4 when to-DS and from-DS] [| QoS control (2) [| HT control (4) when +HTC]]
 * body:      AA AA 03 | OUI 00-00-00 (RFC 1042) or 00-00-F8 (802.1H) | ethertype | packet
 * </pre>
 *
 * Management, control and extension frames, and data frames without a body (null function),
 * carry no packet: {@link SkipReason#NOT_DATA_FRAME}. Protected frames are encrypted
 * (WEP/TKIP/CCMP/GCMP): {@link SkipReason#ENCRYPTED}. A-MSDU aggregates hold several packets in
 * one frame, where an event is one packet: {@link SkipReason#UNSUPPORTED_ENCAPSULATION}.
 */
final class Wlan {
    private Wlan() {}

    static final int RADIOTAP_HEADER = 8;
    static final int RADIOTAP_PRESENT_TSFT = 1;
    static final int RADIOTAP_PRESENT_FLAGS = 1 << 1;
    /** Another present word follows (bit 31 of each). */
    static final long RADIOTAP_PRESENT_EXT = 1L << 31;
    static final int RADIOTAP_TSFT_LENGTH = 8;
    /** Flags field: the frame ends with its 4-byte FCS. */
    static final int RADIOTAP_FLAG_FCS = 0x10;
    /** Flags field: the 802.11 header is padded to a multiple of 4 bytes. */
    static final int RADIOTAP_FLAG_DATAPAD = 0x20;
    static final int FCS_LENGTH = 4;

    static final int TYPE_DATA = 2;
    /** Data subtypes with this bit set carry no body (null, CF-Ack, CF-Poll, QoS null...). */
    static final int SUBTYPE_NO_DATA = 0x4;
    static final int SUBTYPE_QOS = 0x8;
    static final int FLAG_TO_DS = 0x01;
    static final int FLAG_FROM_DS = 0x02;
    static final int FLAG_PROTECTED = 0x40;
    /** In a QoS data frame: an HT control field follows the QoS control field (+HTC). */
    static final int FLAG_ORDER = 0x80;
    /** QoS control, first byte: the body is an A-MSDU. */
    static final int QOS_AMSDU = 0x80;

    static final int DATA_HEADER = 24;
    static final int ADDRESS_LENGTH = 6;
    static final int QOS_CONTROL = 2;
    static final int HT_CONTROL = 4;
    static final int SEQUENCE_CONTROL_OFFSET = 22;
    static final int FRAGMENT_NUMBER_MASK = 0x000F;
    static final int LLC_SNAP = 8;

    /**
     * The radiotap header, whose fields are skipped by its length; only the flags field is read,
     * for the FCS at the frame's end (no longer counted as captured) and the header padding.
     */
    static int afterRadiotap(LinkLayers f, int pos) {
        int lack = f.lack(pos, RADIOTAP_HEADER, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        int length = u16le(f.buf, pos + 2);
        if (u8(f.buf, pos) != 0 || length < RADIOTAP_HEADER) {
            return f.skip(SkipReason.INCONSISTENT_HEADER);
        }
        lack = f.lack(pos, length, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        long present = u32le(f.buf, pos + 4);
        int fields = 8; // offsets relative to the header's start, which alignment is counted from
        for (long word = present; (word & RADIOTAP_PRESENT_EXT) != 0; word = u32le(f.buf, pos + fields - 4)) {
            fields += 4;
            if (fields > length) {
                return f.skip(SkipReason.INCONSISTENT_HEADER);
            }
        }
        int radioFlags = 0;
        if ((present & RADIOTAP_PRESENT_FLAGS) != 0) {
            int at = fields;
            if ((present & RADIOTAP_PRESENT_TSFT) != 0) {
                at = ((at + 7) & ~7) + RADIOTAP_TSFT_LENGTH;
            }
            if (at >= length) {
                return f.skip(SkipReason.INCONSISTENT_HEADER);
            }
            radioFlags = u8(f.buf, pos + at);
        }
        if ((radioFlags & RADIOTAP_FLAG_FCS) != 0 && f.captureEnd - (pos + length) >= FCS_LENGTH) {
            f.captureEnd -= FCS_LENGTH; // not packet bytes, though IP lengths would exclude them anyway
            f.copiedEnd = Math.min(f.copiedEnd, f.captureEnd);
        }
        return dataFrame(f, pos + length, (radioFlags & RADIOTAP_FLAG_DATAPAD) != 0);
    }

    /** An 802.11 frame: a data frame's header and LLC/SNAP, then the ethertype's payload. */
    static int dataFrame(LinkLayers f, int pos, boolean padded) {
        int lack = f.lack(pos, 2, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        int control = u8(f.buf, pos);
        int flags = u8(f.buf, pos + 1);
        int subtype = control >>> 4;
        if ((control & 0x3) != 0) {
            return f.skip(SkipReason.INCONSISTENT_HEADER); // protocol version 0 is the only one
        }
        if (((control >>> 2) & 0x3) != TYPE_DATA || (subtype & SUBTYPE_NO_DATA) != 0) {
            return f.skip(SkipReason.NOT_DATA_FRAME);
        }
        if ((flags & FLAG_PROTECTED) != 0) {
            return f.skip(SkipReason.ENCRYPTED);
        }
        int header = DATA_HEADER;
        if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) == (FLAG_TO_DS | FLAG_FROM_DS)) {
            header += ADDRESS_LENGTH; // a wireless distribution system frame names four stations
        }
        int qos = header;
        boolean isQos = (subtype & SUBTYPE_QOS) != 0;
        if (isQos) {
            header += QOS_CONTROL;
            if ((flags & FLAG_ORDER) != 0) {
                header += HT_CONTROL;
            }
        }
        if (padded) {
            header = (header + 3) & ~3;
        }
        lack = f.lack(pos, header, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        if ((u16le(f.buf, pos + SEQUENCE_CONTROL_OFFSET) & FRAGMENT_NUMBER_MASK) != 0) {
            return f.skip(SkipReason.NON_FIRST_FRAGMENT);
        }
        if (isQos && (u8(f.buf, pos + qos) & QOS_AMSDU) != 0) {
            return f.skip(SkipReason.UNSUPPORTED_ENCAPSULATION);
        }
        return afterLlcSnap(f, pos + header);
    }

    /** RFC 1042 (OUI 0) or 802.1H bridge-tunnel (OUI 00-00-F8) SNAP: an ethertype follows. */
    private static int afterLlcSnap(LinkLayers f, int pos) {
        int lack = f.lack(pos, LLC_SNAP, SkipReason.TRUNCATED_LINK);
        if (lack != 0) {
            return lack;
        }
        byte[] b = f.buf;
        boolean snap = u8(b, pos) == 0xAA && u8(b, pos + 1) == 0xAA && u8(b, pos + 2) == 0x03
                && u8(b, pos + 3) == 0 && u8(b, pos + 4) == 0 && (u8(b, pos + 5) == 0 || u8(b, pos + 5) == 0xF8);
        if (!snap) {
            return f.skip(SkipReason.NOT_IP);
        }
        return f.afterEthertype(Bytes.u16be(b, pos + 6), pos + LLC_SNAP);
    }
}
