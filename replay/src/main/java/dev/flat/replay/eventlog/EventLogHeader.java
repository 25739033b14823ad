package dev.flat.replay.eventlog;

import static dev.flat.replay.eventlog.EventLogFormat.CLOCK_OFFSET_OFFSET;
import static dev.flat.replay.eventlog.EventLogFormat.HEADER_LENGTH_OFFSET;
import static dev.flat.replay.eventlog.EventLogFormat.IFINDEX_OFFSET;
import static dev.flat.replay.eventlog.EventLogFormat.MAGIC;
import static dev.flat.replay.eventlog.EventLogFormat.MAX_HEADER_LENGTH;
import static dev.flat.replay.eventlog.EventLogFormat.MAX_HOST_NAME_BYTES;
import static dev.flat.replay.eventlog.EventLogFormat.MAX_INTERFACE_NAME_BYTES;
import static dev.flat.replay.eventlog.EventLogFormat.MAX_KERNEL_RELEASE_BYTES;
import static dev.flat.replay.eventlog.EventLogFormat.MIN_HEADER_LENGTH;
import static dev.flat.replay.eventlog.EventLogFormat.RECORD_SIZE;
import static dev.flat.replay.eventlog.EventLogFormat.RECORD_SIZE_OFFSET;
import static dev.flat.replay.eventlog.EventLogFormat.START_TIME_OFFSET;
import static dev.flat.replay.eventlog.EventLogFormat.STRINGS_OFFSET;
import static dev.flat.replay.eventlog.EventLogFormat.VERSION;
import static dev.flat.replay.eventlog.EventLogFormat.VERSION_OFFSET;

import dev.flat.core.input.InputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event log header (layout in {@link EventLogFormat}).
 *
 * @param startTimeNs   CLOCK_REALTIME when recording started, ns since the Unix epoch
 * @param clockOffsetNs CLOCK_REALTIME − CLOCK_MONOTONIC in ns: the records keep the kernel's
 *                      monotonic timestamps verbatim and readers add this (0 for sources that
 *                      already stamp wall-clock time, such as libpcap)
 * @param ifindex       kernel index of the recorded interface
 * @param hostName      machine the log was recorded on
 * @param interfaceName recorded interface
 * @param kernelRelease {@code uname -r} of the recording machine
 */
public record EventLogHeader(long startTimeNs, long clockOffsetNs, long ifindex, String hostName,
                             String interfaceName, String kernelRelease) {

    public EventLogHeader {
        if (ifindex < 0 || ifindex > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ifindex " + ifindex + " is not a u32");
        }
        checkLength("host name", hostName, MAX_HOST_NAME_BYTES);
        checkLength("interface name", interfaceName, MAX_INTERFACE_NAME_BYTES);
        checkLength("kernel release", kernelRelease, MAX_KERNEL_RELEASE_BYTES);
    }

    /** The header bytes, padded with zeros to a multiple of 8: records follow directly. */
    public byte[] encode() {
        byte[] host = hostName.getBytes(StandardCharsets.UTF_8);
        byte[] iface = interfaceName.getBytes(StandardCharsets.UTF_8);
        byte[] release = kernelRelease.getBytes(StandardCharsets.UTF_8);
        int length = EventLogFormat.align(STRINGS_OFFSET + 6 + host.length + iface.length + release.length);
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC)
                .putShort(VERSION_OFFSET, (short) VERSION)
                .putShort(HEADER_LENGTH_OFFSET, (short) length)
                .putShort(RECORD_SIZE_OFFSET, (short) RECORD_SIZE)
                .putLong(START_TIME_OFFSET, startTimeNs)
                .putLong(CLOCK_OFFSET_OFFSET, clockOffsetNs)
                .putInt(IFINDEX_OFFSET, (int) ifindex);
        b.position(STRINGS_OFFSET);
        for (byte[] s : new byte[][] {host, iface, release}) {
            b.putShort((short) s.length).put(s);
        }
        return b.array();
    }

    /**
     * Checks the first {@link EventLogFormat#PREFIX_LENGTH} bytes and returns the whole
     * header's length, so that the caller knows how much more to read before {@link #decode}.
     */
    static int headerLength(byte[] start, String file) throws InputException {
        ByteBuffer b = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(start, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InputException(file, 0, "not a flat event log (magic is not \"FLATLOG\\0\")");
        }
        int version = b.getShort(VERSION_OFFSET) & 0xFFFF;
        if (version != VERSION) {
            throw new InputException(file, VERSION_OFFSET,
                    "event log format version " + version + " is not supported (this flat reads version " + VERSION + ")");
        }
        int length = b.getShort(HEADER_LENGTH_OFFSET) & 0xFFFF;
        if (length < MIN_HEADER_LENGTH || length > MAX_HEADER_LENGTH || length % EventLogFormat.ALIGNMENT != 0) {
            throw new InputException(file, HEADER_LENGTH_OFFSET, "header length " + length
                    + " is not a multiple of 8 between " + MIN_HEADER_LENGTH + " and " + MAX_HEADER_LENGTH);
        }
        int recordSize = b.getShort(RECORD_SIZE_OFFSET) & 0xFFFF;
        if (recordSize != RECORD_SIZE) {
            throw new InputException(file, RECORD_SIZE_OFFSET,
                    "record size " + recordSize + " is not " + RECORD_SIZE + " (struct flat_event)");
        }
        return length;
    }

    /** Decodes a whole header whose first bytes passed {@link #headerLength}. */
    static EventLogHeader decode(byte[] header, String file) throws InputException {
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long start = b.getLong(START_TIME_OFFSET);
        long offset = b.getLong(CLOCK_OFFSET_OFFSET);
        long ifindex = b.getInt(IFINDEX_OFFSET) & 0xFFFF_FFFFL;
        b.position(STRINGS_OFFSET);
        String host = readString(b, "host name", MAX_HOST_NAME_BYTES, file);
        String iface = readString(b, "interface name", MAX_INTERFACE_NAME_BYTES, file);
        String release = readString(b, "kernel release", MAX_KERNEL_RELEASE_BYTES, file);
        return new EventLogHeader(start, offset, ifindex, host, iface, release);
    }

    private static String readString(ByteBuffer b, String what, int maxBytes, String file) throws InputException {
        int at = b.position();
        if (b.remaining() < 2) {
            throw new InputException(file, at, what + " length lies beyond the header length " + b.limit());
        }
        int n = b.getShort() & 0xFFFF;
        if (n > maxBytes) {
            throw new InputException(file, at, what + " is " + n + " bytes long, at most " + maxBytes + " allowed");
        }
        if (n > b.remaining()) {
            throw new InputException(file, at, what + " (" + n + " bytes) runs past the header length " + b.limit());
        }
        ByteBuffer bytes = b.slice(b.position(), n);
        b.position(b.position() + n);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            String s = chars.toString();
            if (s.indexOf('\0') >= 0) {
                throw new InputException(file, at + 2, what + " contains a NUL character");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw new InputException(file, at + 2, what + " is not valid UTF-8");
        }
    }

    private static void checkLength(String what, String value, int maxBytes) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        int n = value.getBytes(StandardCharsets.UTF_8).length;
        if (n > maxBytes) {
            throw new IllegalArgumentException(what + " '" + value + "' is " + n + " bytes in UTF-8, at most " + maxBytes);
        }
    }
}
