package dev.flat.replay;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * pcapng files (draft-ietf-opsawg-pcapng). Every block is framed the same way:
 *
 * <pre>
 *  0 block type   4 block total length   8 body ...   length-4 block total length (again)
 * </pre>
 *
 * Lengths are checked before anything is sliced by them: at least 12, a multiple of 4, the
 * trailing copy equal to the leading one, and every option inside its block. A file may hold
 * several sections, each starting with a Section Header Block whose byte-order magic sets the
 * byte order of the blocks that follow. Interfaces are numbered across the whole file (the first
 * section's interface 0 is ifindex 1, the next section's first interface follows the last one),
 * so that two sections never share an ifindex.
 *
 * <p>Packets come from Enhanced Packet Blocks, Simple Packet Blocks (interface 0, no timestamp:
 * counted under {@link SkipReason#NO_TIMESTAMP}) and the obsolete Packet Block; name resolution,
 * statistics, custom and unknown blocks are skipped whole. A section of an unknown major version
 * cannot be framed: the first one is an {@link InputException}, a later one ends the file with a
 * warning and the earlier sections' results kept.
 */
final class PcapngReader extends CaptureFileReader {
    static final int SECTION_HEADER = 0x0A0D0D0A;   // palindromic: reads the same in both orders
    static final int INTERFACE_DESCRIPTION = 1;
    static final int PACKET_OBSOLETE = 2;
    static final int SIMPLE_PACKET = 3;
    static final int ENHANCED_PACKET = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    static final int MIN_BLOCK = 12;
    static final int MIN_SECTION_HEADER = 28;
    static final int MIN_INTERFACE_DESCRIPTION = 20;
    static final int MIN_SIMPLE_PACKET = 16;
    static final int MIN_PACKET = 32;           // EPB and obsolete PB have the same fixed part
    static final int PACKET_DATA_OFFSET = 28;

    static final int OPT_END = 0;
    static final int OPT_IF_NAME = 2;
    static final int OPT_IF_TSRESOL = 9;
    static final int OPT_IF_TSOFFSET = 14;
    /** epb_flags and the obsolete pack_flags: bits 0-1 are the direction (01 in, 10 out). */
    static final int OPT_FLAGS = 2;
    /**
     * Interfaces described in one file. Real captures have a handful; the cap keeps a file of
     * nothing but tiny IDBs from growing the interface table without bound.
     */
    static final int MAX_INTERFACES = 65_536;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** One interface of the current section. */
    private static final class Interface {
        final int linkType;
        final long snapLen;
        final long ifindex;
        final TimestampResolution resolution;
        final long offsetNanos;

        Interface(int linkType, long snapLen, long ifindex, TimestampResolution resolution, long offsetNanos) {
            this.linkType = linkType;
            this.snapLen = snapLen;
            this.ifindex = ifindex;
            this.resolution = resolution;
            this.offsetNanos = offsetNanos;
        }
    }

    /**
     * What a stretch read ahead starts from (see {@link CaptureReadAhead}): the section's byte
     * order and interfaces as the reader had them after its last section or interface block.
     */
    private record SectionState(long version, boolean bigEndian, int sections, int interfacesInFile,
                                Interface[] interfaces) {}

    private final List<Interface> section = new ArrayList<>();
    /** Published by the reader at every section and interface block, for the stretches read ahead. */
    private volatile SectionState published;
    /** Section and interface blocks the reader has handled: the version of {@link #published}. */
    private long stateChanges;
    /** A reader of stretches ahead: it stops before a section or interface block (the stretch is then dropped). */
    private boolean readingStretch;
    private int interfacesInFile;
    private int sections;
    private boolean bigEndian;
    // The block being handled: its offset in the stream and the buffer index of its first byte.
    private long blockOffset;
    private int block;
    // Set by nextOption().
    private int optionCode;
    private int optionLength;

    private PcapngReader(String name, ChunkedInput in, long size) {
        super(name, in, size);
    }

    static PcapngReader open(String name, ChunkedInput in, long size) {
        return new PcapngReader(name, in, size);
    }

    @Override
    CaptureFileReader stretchReader(ChunkedInput other) {
        PcapngReader r = new PcapngReader(name, other, size());
        r.readingStretch = true;
        return r;
    }

    @Override
    long takeStateFrom(CaptureFileReader reader) {
        SectionState state = ((PcapngReader) reader).published;
        if (state == null) {
            return -1;
        }
        bigEndian = state.bigEndian();
        sections = state.sections();
        interfacesInFile = state.interfacesInFile();
        section.clear();
        Collections.addAll(section, state.interfaces());
        return state.version();
    }

    @Override
    long stateVersion() { return stateChanges; }

    private void publishState() {
        published = new SectionState(++stateChanges, bigEndian, sections, interfacesInFile,
                section.toArray(new Interface[0]));
    }

    /**
     * Whether a plausible chain of blocks starts at {@code b[p]} in the current byte order:
     * {@link #CHAIN} blocks end to end (or {@link #SHORT_CHAIN} when the next lies beyond end) of
     * the types a stretch holds (packets, name resolution, statistics, secrets, journal, custom),
     * each framed as the reader requires (length a multiple of 4 of at least 12, no more than the
     * buffer, the trailing copy equal) and an enhanced packet's data inside its block.
     */
    @Override
    boolean recordChainAt(byte[] b, int p, int end) {
        for (int blocks = 0; blocks < CHAIN; blocks++) {
            if (p > end - MIN_BLOCK) {
                return blocks >= SHORT_CHAIN;
            }
            long type = Bytes.u32(b, p, bigEndian);
            long length = Bytes.u32(b, p + 4, bigEndian);
            if (!inStretches(type) || length < MIN_BLOCK || length % 4 != 0 || length > in.capacity()) {
                return false;
            }
            if (length > end - p) {
                return blocks >= SHORT_CHAIN;
            }
            if (Bytes.u32(b, p + (int) length - 4, bigEndian) != length) {
                return false;
            }
            if (type == ENHANCED_PACKET
                    && (length < MIN_PACKET || Bytes.u32(b, p + 20, bigEndian) > length - MIN_PACKET)) {
                return false;
            }
            p += (int) length;
        }
        return true;
    }

    /** Block types that can follow each other in the body of a section (not SHB or IDB). */
    private static boolean inStretches(long type) {
        return type == ENHANCED_PACKET || type == SIMPLE_PACKET || type == PACKET_OBSOLETE
                || type == 4 || type == 5 || type == 9 || type == 10 || type == 0x0000_0BADL || type == 0x4000_0BADL;
    }

    @Override
    void readRecords(EventSink sink, InputStats stats) throws IOException {
        while (true) {
            blockOffset = in.offset();
            if (stopsHere(stats)) {
                return;
            }
            if (blockOffset >= mark) {
                if (marks.atMark(this, blockOffset, sink, stats)) {
                    return;
                }
                continue;
            }
            if (!in.require(8)) {
                if (in.available() == 0) {
                    endOfInput(stats);
                } else {
                    cutShort(stats, blockOffset);
                }
                return;
            }
            long type = Bytes.u32(in.buffer(), in.pos(), bigEndian);
            if (readingStretch && (type == SECTION_HEADER || type == INTERFACE_DESCRIPTION)) {
                return; // the stretch is dropped: its reader takes the block, and its state, itself
            }
            if (type == SECTION_HEADER) {
                if (!in.require(16)) {
                    cutShort(stats, blockOffset);
                    return;
                }
                bigEndian = sectionByteOrder();
                if (!supportedVersion(stats)) {
                    return;
                }
            } else if (sections == 0) {
                throw new InputException(name, blockOffset, "the file does not start with a section header block");
            }
            long length = Bytes.u32(in.buffer(), in.pos() + 4, bigEndian);
            if (length < MIN_BLOCK || length % 4 != 0) {
                throw new InputException(name, blockOffset + 4, "block length " + length
                        + " is not a multiple of 4 of at least " + MIN_BLOCK);
            }
            if (!isHandled(type) && length > in.capacity()) {
                // A huge block we would not read anyway: stream past it (its trailer is unchecked).
                if (in.skip(length) < length) {
                    cutShort(stats, blockOffset);
                    return;
                }
                continue;
            }
            if (length > in.capacity()) {
                throw new InputException(name, blockOffset + 4, "block length " + length
                        + " exceeds the limit of " + in.capacity());
            }
            if (!in.require((int) length)) {
                cutShort(stats, blockOffset);
                return;
            }
            block = in.pos();
            int blockLength = (int) length;
            long trailer = Bytes.u32(in.buffer(), block + blockLength - 4, bigEndian);
            if (trailer != length) {
                throw new InputException(name, blockOffset + length - 4, "trailing block length " + trailer
                        + " differs from the leading " + length);
            }
            handle((int) type, blockLength, sink, stats);
            in.advance(blockLength);
        }
    }

    private static boolean isHandled(long type) {
        return type == SECTION_HEADER || type == INTERFACE_DESCRIPTION || type == ENHANCED_PACKET
                || type == SIMPLE_PACKET || type == PACKET_OBSOLETE;
    }

    /** Handles a complete, framed block. */
    private void handle(int type, int length, EventSink sink, InputStats stats) throws IOException {
        switch (type) {
            case SECTION_HEADER -> sectionHeader(length);
            case INTERFACE_DESCRIPTION -> interfaceDescription(length);
            case ENHANCED_PACKET -> enhancedPacket(length, sink, stats);
            case SIMPLE_PACKET -> simplePacket(length, sink, stats);
            case PACKET_OBSOLETE -> obsoletePacket(length, sink, stats);
            default -> { } // NRB, ISB, DSB, custom and unknown blocks carry no packets
        }
    }

    private boolean sectionByteOrder() throws InputException {
        byte[] b = in.buffer();
        long magic = Bytes.u32be(b, in.pos() + 8);
        if (magic == BYTE_ORDER_MAGIC) {
            return true;
        }
        if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            return false;
        }
        throw new InputException(name, blockOffset + 8, String.format("bad byte-order magic %08x", magic));
    }

    /**
     * Checked before the section header's length: another major version may frame even its
     * blocks differently, so nothing from there on can be read. 1.0 is the format; 1.2 was
     * written by some tools for a while.
     */
    private boolean supportedVersion(InputStats stats) throws InputException {
        byte[] b = in.buffer();
        int major = Bytes.u16(b, in.pos() + 12, bigEndian);
        int minor = Bytes.u16(b, in.pos() + 14, bigEndian);
        if (major == 1) {
            return true;
        }
        String problem = "unsupported pcapng version " + major + "." + minor + " (expected 1.x)";
        if (sections == 0) {
            throw new InputException(name, blockOffset + 12, problem);
        }
        stats.warn(name + ": section at offset " + blockOffset + ": " + problem
                + "; stopped there, results up to there kept");
        return false;
    }

    private void sectionHeader(int length) throws IOException {
        if (length < MIN_SECTION_HEADER) {
            throw new InputException(name, blockOffset + 4, "section header block of " + length + " bytes");
        }
        for (int o = block + 24; nextOption(o, block + length - 4); o += 4 + (int) Bytes.pad4(optionLength)) {
            // shb_hardware, shb_os, shb_userappl: not needed; walked only to check the framing
        }
        sections++;
        section.clear();
        publishState();
    }

    private void interfaceDescription(int length) throws IOException {
        if (length < MIN_INTERFACE_DESCRIPTION) {
            throw new InputException(name, blockOffset + 4, "interface description block of " + length + " bytes");
        }
        if (interfacesInFile == MAX_INTERFACES) {
            throw new InputException(name, blockOffset, "more than " + MAX_INTERFACES + " interfaces in one file");
        }
        byte[] b = in.buffer();
        int linkType = Bytes.u16(b, block + 8, bigEndian);
        long snapLen = Bytes.u32(b, block + 12, bigEndian);
        TimestampResolution resolution = TimestampResolution.MICROS;
        long offsetSeconds = 0;
        String ifName = null;
        for (int o = block + 16; nextOption(o, block + length - 4); o += 4 + (int) Bytes.pad4(optionLength)) {
            int value = o + 4;
            if (optionCode == OPT_IF_NAME) {
                ifName = utf8WithoutNul(b, value, optionLength);
            } else if (optionCode == OPT_IF_TSRESOL && optionLength >= 1) {
                resolution = TimestampResolution.of(Bytes.u8(b, value));
                if (resolution == null) {
                    throw new InputException(name, blockOffset + (value - block),
                            String.format("if_tsresol %02x is finer than this reader can scale", Bytes.u8(b, value)));
                }
            } else if (optionCode == OPT_IF_TSOFFSET && optionLength >= 8) {
                offsetSeconds = Bytes.s64(b, value, bigEndian);
                if (Math.abs(offsetSeconds) > Long.MAX_VALUE / NANOS_PER_SECOND) {
                    throw new InputException(name, blockOffset + (value - block),
                            "if_tsoffset " + offsetSeconds + " s is out of range");
                }
            }
        }
        long ifindex = ++interfacesInFile;
        section.add(new Interface(linkType, snapLen, ifindex, resolution, offsetSeconds * NANOS_PER_SECOND));
        interfaces.put(ifindex, ifName);
        publishState();
    }

    private void enhancedPacket(int length, EventSink sink, InputStats stats) throws IOException {
        byte[] b = requirePacketBlock(length, "enhanced packet block");
        timedPacketBlock(Bytes.u32(b, block + 8, bigEndian), length, sink, stats);
    }

    /** The obsolete Packet Block (type 2) differs from the EPB only in its 16-bit interface id
     *  (followed by a 16-bit drops count). */
    private void obsoletePacket(int length, EventSink sink, InputStats stats) throws IOException {
        byte[] b = requirePacketBlock(length, "packet block");
        timedPacketBlock(Bytes.u16(b, block + 8, bigEndian), length, sink, stats);
    }

    private byte[] requirePacketBlock(int length, String what) throws InputException {
        if (length < MIN_PACKET) {
            throw new InputException(name, blockOffset + 4, what + " of " + length + " bytes");
        }
        return in.buffer();
    }

    /** Interface id, 64-bit timestamp at +12/+16, captured length at +20: common to EPB and PB. */
    private void timedPacketBlock(long interfaceId, int length, EventSink sink, InputStats stats) throws IOException {
        byte[] b = in.buffer();
        Interface itf = interfaceOf(interfaceId, 8);
        long units = Bytes.u32(b, block + 12, bigEndian) << 32 | Bytes.u32(b, block + 16, bigEndian);
        long capLen = Bytes.u32(b, block + 20, bigEndian);
        int direction = packetData(capLen, length);
        timedPacket(itf, units, (int) capLen, direction, sink, stats);
    }

    private void simplePacket(int length, EventSink sink, InputStats stats) throws IOException {
        if (length < MIN_SIMPLE_PACKET) {
            throw new InputException(name, blockOffset + 4, "simple packet block of " + length + " bytes");
        }
        Interface itf = interfaceOf(0, 0);
        // The block holds min(original length, snaplen) bytes (draft section 4.4); the block
        // length bounds it whatever the header says.
        long capLen = Math.min(Bytes.u32(in.buffer(), block + 8, bigEndian), length - MIN_SIMPLE_PACKET);
        if (itf.snapLen != 0) {
            capLen = Math.min(capLen, itf.snapLen);
        }
        capLen = Math.min(capLen, MAX_CAPTURED_LENGTH);
        packet(itf.linkType, block + 12, (int) capLen, 0, itf.resolution.digits(), Direction.UNKNOWN.code(),
                itf.ifindex, PacketTime.ABSENT, sink, stats);
    }

    private void timedPacket(Interface itf, long units, int capLen, int direction, EventSink sink, InputStats stats)
            throws IOException {
        long unshifted = itf.resolution.toNanos(units);
        long tsNs = unshifted + itf.offsetNanos;
        boolean overflows = ((unshifted ^ tsNs) & (itf.offsetNanos ^ tsNs)) < 0;
        PacketTime time = itf.resolution.fits(units) && !overflows ? PacketTime.VALID : PacketTime.OUT_OF_RANGE;
        packet(itf.linkType, block + PACKET_DATA_OFFSET, capLen, tsNs, itf.resolution.digits(), direction,
                itf.ifindex, time, sink, stats);
    }

    /**
     * Checks the captured length of an EPB or PB against its block and returns the direction
     * from its flags option (UNKNOWN without one).
     */
    private int packetData(long capLen, int length) throws IOException {
        long room = length - MIN_PACKET;
        if (capLen > room || capLen > MAX_CAPTURED_LENGTH) {
            throw new InputException(name, blockOffset + 20, "packet " + (packetsInFile + 1) + ": captured length "
                    + capLen + " does not fit its block of " + length + " bytes (limit " + MAX_CAPTURED_LENGTH + ")");
        }
        int direction = Direction.UNKNOWN.code();
        int optionsStart = block + PACKET_DATA_OFFSET + (int) Bytes.pad4(capLen);
        for (int o = optionsStart; nextOption(o, block + length - 4); o += 4 + (int) Bytes.pad4(optionLength)) {
            if (optionCode == OPT_FLAGS && optionLength >= 4) {
                long inOut = Bytes.u32(in.buffer(), o + 4, bigEndian) & 0x3;
                if (inOut == 1) {
                    direction = Direction.INGRESS.code();
                } else if (inOut == 2) {
                    direction = Direction.EGRESS.code();
                }
            }
        }
        return direction;
    }

    private Interface interfaceOf(long id, int fieldOffset) throws InputException {
        if (id >= section.size()) {
            throw new InputException(name, blockOffset + fieldOffset, "packet " + (packetsInFile + 1)
                    + " refers to interface " + id + " but the section describes " + section.size());
        }
        return section.get((int) id);
    }

    /**
     * Reads the option header at o if one fits before end and is not opt_endofopt, setting
     * {@link #optionCode} and {@link #optionLength}; an option whose value runs past end is an
     * error, never a read beyond the block.
     */
    private boolean nextOption(int o, int end) throws InputException {
        if (end - o < 4) {
            return false;
        }
        byte[] b = in.buffer();
        optionCode = Bytes.u16(b, o, bigEndian);
        optionLength = Bytes.u16(b, o + 2, bigEndian);
        if (optionCode == OPT_END) {
            return false;
        }
        if (4 + Bytes.pad4(optionLength) > end - o) {
            throw new InputException(name, blockOffset + (o - block), "option " + optionCode + " of length "
                    + optionLength + " runs past the end of its block");
        }
        return true;
    }

    private static String utf8WithoutNul(byte[] b, int off, int len) {
        int n = len;
        while (n > 0 && b[off + n - 1] == 0) {
            n--;
        }
        return new String(b, off, n, StandardCharsets.UTF_8);
    }
}
