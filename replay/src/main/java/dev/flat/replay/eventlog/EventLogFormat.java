package dev.flat.replay.eventlog;

import dev.flat.core.event.EventRecord;
import java.nio.charset.StandardCharsets;

/**
 * Layout of flat's event log (docs/event-log.md is the prose version of this table). Every
 * multi-byte number is little-endian, like the records themselves (flat_event.h).
 *
 * <pre>
 *  0                   8        10       12       14       16
 * +-------------------+--------+--------+--------+--------+
 * | "FLATLOG" 0x00    |version |hdr len |rec size|reserved|
 * +-------------------+--------+--------+--------+--------+
 * 16 start time: CLOCK_REALTIME ns since the Unix epoch (i64)
 * 24 clock offset: CLOCK_REALTIME - CLOCK_MONOTONIC in ns (i64), added to every record's ts_ns
 * 32 ifindex (u32)                      36 reserved (u32, zero)
 * 40 host name:       u16 length n, n bytes UTF-8
 *    interface name:  u16 length n, n bytes UTF-8
 *    kernel release:  u16 length n, n bytes UTF-8
 *    zero padding up to "hdr len" (a multiple of 8)
 * hdr len: records, 80 bytes each (struct flat_event, verbatim), until the end of the file
 * </pre>
 *
 * Records therefore start 8-aligned. The header length is stored rather than derived so that a
 * later minor addition can place more fields before the records without breaking version-1
 * readers; the version changes only when existing fields change meaning.
 */
public final class EventLogFormat {
    /** "FLATLOG" followed by a zero byte; {@code dev.flat.replay.Inputs} dispatches on it. */
    static final byte[] MAGIC = "FLATLOG\0".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int HEADER_LENGTH_OFFSET = 10;
    static final int RECORD_SIZE_OFFSET = 12;
    static final int START_TIME_OFFSET = 16;
    static final int CLOCK_OFFSET_OFFSET = 24;
    static final int IFINDEX_OFFSET = 32;
    static final int STRINGS_OFFSET = 40;
    /** Magic, version, header length and record size: enough to validate before reading on. */
    static final int PREFIX_LENGTH = 16;
    /** The fixed part plus three empty strings, rounded up to 8. */
    static final int MIN_HEADER_LENGTH = 48;
    /** Readers refuse more: the header length field is never trusted for an allocation. */
    static final int MAX_HEADER_LENGTH = 4096;
    static final int ALIGNMENT = 8;

    public static final int RECORD_SIZE = EventRecord.ENCODED_LENGTH;

    /** A DNS name is at most 255 octets (RFC 1035 section 2.3.4); Linux allows 64 (HOST_NAME_MAX). */
    public static final int MAX_HOST_NAME_BYTES = 255;
    /** IFNAMSIZ is 16 including the terminating NUL (linux/if.h). */
    public static final int MAX_INTERFACE_NAME_BYTES = 15;
    /** struct new_utsname.release is 65 bytes including the NUL (linux/utsname.h). */
    public static final int MAX_KERNEL_RELEASE_BYTES = 64;

    private EventLogFormat() {}

    /** Whether the {@code length} bytes at {@code off} start with the event log's magic. */
    public static boolean startsWithMagic(byte[] b, int off, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[off + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes {@link #startsWithMagic} needs. */
    public static int magicLength() { return MAGIC.length; }

    static int align(int n) {
        return (n + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
