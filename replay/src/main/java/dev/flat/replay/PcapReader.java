package dev.flat.replay;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import java.io.IOException;

/**
 * Classic libpcap files (draft-ietf-opsawg-pcap).
 *
 * <pre>
 * file header (24 bytes)                      record header (16 bytes), then caplen bytes
 *  0 magic       a1b2c3d4 µs / a1b23c4d ns      0 ts seconds
 *  4 major (2)   6 minor (4)                    4 ts µs or ns
 *  8 thiszone   12 sigfigs (both 0 in practice) 8 captured length
 * 16 snaplen    20 link type (low 28 bits)     12 original length
 * </pre>
 *
 * The magic as read in either byte order gives the file's byte order and resolution. A
 * sub-second field at or above one second (1e6 µs, 1e9 ns; tcpdump's timestamp_invalid_nano test)
 * is added as it is, a carry into the seconds, as Wireshark reads it, and the packet is counted
 * ({@link PacketTime#OUT_OF_RANGE}): the latency then agrees with Wireshark's, where clamping
 * would invent one and skipping would lose the exchange.
 */
final class PcapReader extends CaptureFileReader {
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;
    /** The link-type field's low bits; the upper ones describe an FCS (LT_LINKTYPE in libpcap). */
    static final long LINK_TYPE_MASK = 0x03FF_FFFF;

    /** Original lengths above this are taken for a false start (no link layer has frames of 16 MiB). */
    static final long MAX_ORIGINAL_LENGTH = 16L << 20;
    /** Nor do records an hour apart follow each other in a file that is read ahead. */
    static final long MAX_SECONDS_APART = 3600;

    private final boolean bigEndian;
    private final boolean nanos;
    private final int linkType;
    private PcapReader(String name, ChunkedInput in, long size,
                       boolean bigEndian, boolean nanos, int linkType) {
        super(name, in, size);
        this.bigEndian = bigEndian;
        this.nanos = nanos;
        this.linkType = linkType;
    }

    /** Reads and checks the file header; the input is positioned at the first byte of the file. */
    static PcapReader open(String name, ChunkedInput in, long size) throws IOException {
        if (!in.require(FILE_HEADER)) {
            throw new InputException(name, in.available(), "file header cut short: "
                    + in.available() + " of " + FILE_HEADER + " bytes");
        }
        byte[] b = in.buffer();
        int p = in.pos();
        int magicBe = (int) Bytes.u32be(b, p);
        boolean bigEndian = magicBe == MAGIC_MICROS || magicBe == MAGIC_NANOS;
        int magic = bigEndian ? magicBe : (int) Bytes.u32le(b, p);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IllegalStateException("not a pcap magic; Inputs checks before opening");
        }
        int major = Bytes.u16(b, p + 4, bigEndian);
        int minor = Bytes.u16(b, p + 6, bigEndian);
        // Version 2.4 since 1998; libpcap also reads 2.x and rejects anything else.
        if (major != 2) {
            throw new InputException(name, 4, "unsupported pcap version " + major + "." + minor + " (expected 2.x)");
        }
        int linkType = (int) (Bytes.u32(b, p + 20, bigEndian) & LINK_TYPE_MASK);
        in.advance(FILE_HEADER);
        // The header's snaplen is advisory: records are checked against MAX_CAPTURED_LENGTH, as
        // libpcap does, because writers have put 0 and 65535 there for longer records.
        return new PcapReader(name, in, size, bigEndian, magic == MAGIC_NANOS, linkType);
    }

    @Override
    CaptureFileReader stretchReader(ChunkedInput other) {
        return new PcapReader(name, other, size(), bigEndian, nanos, linkType);
    }

    /**
     * Whether a plausible chain of record headers starts at {@code b[p]}, the bytes up to {@code
     * end} at hand: {@link #CHAIN} headers end to end (or {@link #SHORT_CHAIN} when the next lies
     * beyond end), each with a sub-second field below one second, a captured length from 1 to
     * {@link #MAX_CAPTURED_LENGTH} and no more than the original length, and seconds within
     * {@link #MAX_SECONDS_APART} of the previous header's. Only a guess at a record's start in the
     * middle of a file: it is taken only once the sequential reading reaches exactly that offset.
     */
    @Override
    boolean recordChainAt(byte[] b, int p, int end) {
        long fractionLimit = nanos ? 1_000_000_000L : 1_000_000L;
        long previousSeconds = -1;
        for (int records = 0; records < CHAIN; records++) {
            if (p > end - RECORD_HEADER) {
                return records >= SHORT_CHAIN;
            }
            long seconds = Bytes.u32(b, p, bigEndian);
            long fraction = Bytes.u32(b, p + 4, bigEndian);
            long capLen = Bytes.u32(b, p + 8, bigEndian);
            long origLen = Bytes.u32(b, p + 12, bigEndian);
            if (fraction >= fractionLimit || capLen == 0 || capLen > MAX_CAPTURED_LENGTH || capLen > origLen
                    || origLen > MAX_ORIGINAL_LENGTH
                    || previousSeconds >= 0 && Math.abs(seconds - previousSeconds) > MAX_SECONDS_APART) {
                return false;
            }
            previousSeconds = seconds;
            p += RECORD_HEADER + (int) capLen;
        }
        return true;
    }

    @Override
    void readRecords(EventSink sink, InputStats stats) throws IOException {
        long fractionLimit = nanos ? 1_000_000_000L : 1_000_000L;
        long fractionToNanos = nanos ? 1 : 1_000;
        int tsDigits = nanos ? EventRecord.DIGITS_NS : EventRecord.DIGITS_US;
        while (true) {
            long recordOffset = in.offset();
            if (stopsHere(stats)) {
                return;
            }
            if (recordOffset >= mark) {
                if (marks.atMark(this, recordOffset, sink, stats)) {
                    return;
                }
                continue;
            }
            if (!in.require(RECORD_HEADER)) {
                if (in.available() == 0) {
                    endOfInput(stats);
                } else {
                    cutShort(stats, recordOffset);
                }
                return;
            }
            byte[] b = in.buffer();
            int p = in.pos();
            long seconds = Bytes.u32(b, p, bigEndian);
            long fraction = Bytes.u32(b, p + 4, bigEndian);
            long capLen = Bytes.u32(b, p + 8, bigEndian);
            if (capLen > MAX_CAPTURED_LENGTH) {
                // Nothing after a bogus length can be trusted to be a record boundary.
                throw new InputException(name, recordOffset + 8, "packet " + (packetsInFile + 1)
                        + ": captured length " + capLen + " exceeds the limit of " + MAX_CAPTURED_LENGTH);
            }
            int recordLength = RECORD_HEADER + (int) capLen;
            // The whole record must be in the file; only the headers the parser reads need to be
            // in the buffer (ChannelInput copies no more, a stream has read it all anyway).
            if (!in.requireHead(recordLength, RECORD_HEADER + FrameParser.HEADERS_PREFIX)) {
                cutShort(stats, recordOffset);
                return;
            }
            // seconds and fraction < 2^32, so seconds * 1e9 + fraction * 1e3 < 4.3e18 fits a long.
            PacketTime time = fraction >= fractionLimit ? PacketTime.OUT_OF_RANGE : PacketTime.VALID;
            long tsNs = seconds * 1_000_000_000L + fraction * fractionToNanos;
            int copied = Math.min((int) capLen, in.available() - RECORD_HEADER);
            if (!packet(linkType, in.pos() + RECORD_HEADER, (int) capLen, copied, tsNs, tsDigits,
                    Direction.UNKNOWN.code(), 0, time, sink, stats)) {
                cutShort(stats, recordOffset);
                return;
            }
            in.skip(recordLength);
        }
    }
}
