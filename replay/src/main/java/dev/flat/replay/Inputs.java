package dev.flat.replay;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.replay.eventlog.EventLogFormat;
import dev.flat.replay.eventlog.EventLogReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens any input flat reads offline. The format comes from the first bytes, never from the
 * file name:
 *
 * <pre>
 * a1 b2 c3 d4 / d4 c3 b2 a1   pcap, microseconds (big / little endian)
 * a1 b2 3c 4d / 4d 3c b2 a1   pcap, nanoseconds
 * 0a 0d 0d 0a                 pcapng (the section header says the byte order)
 * 1f 8b                       gzip (RFC 1952): decompressed on the fly, then detected again
 * "FLATLOG" 00                flat event log
 * </pre>
 */
public final class Inputs {
    private static final int GZIP_MAGIC = 0x1F8B;
    /** Bytes looked at to decide: the longest magic, the event log's. */
    private static final int MAGIC_BYTES = EventLogFormat.magicLength();
    /** GZIPInputStream's inflater input buffer; the chunked reader does the large reads. */
    private static final int GZIP_BUFFER = 64 * 1024;

    private Inputs() {}

    /**
     * Opens a capture or event log; the caller closes the source. A regular file is looked at
     * once for its magic and then opened again by the reader that fits (a capture file is read
     * with positional reads, or mapped when large: {@link ChannelInput}); a pipe or device (a FIFO, {@code /dev/stdin}, a shell's
     * {@code <(...)}) can be read only once, so its first bytes are peeked through a buffer and
     * the same stream is handed on.
     */
    public static EventSource open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return openStream(file);
        }
        String name = file.toString();
        long size = Files.size(file);
        byte[] head = new byte[MAGIC_BYTES];
        int headLength;
        try (InputStream probe = Files.newInputStream(file)) {
            headLength = probe.readNBytes(head, 0, MAGIC_BYTES);
        }
        if (headLength >= 2 && Bytes.u16be(head, 0) == GZIP_MAGIC) {
            return openCompressed(file, name, size);
        }
        if (EventLogFormat.startsWithMagic(head, 0, headLength)) {
            return EventLogReader.open(file);
        }
        ChannelInput mapped = ChannelInput.open(file);
        return openCapture(name, mapped, mapped.size(), false);
    }

    /**
     * What {@link #open} can check before anything is read for real: that a regular file opens
     * and is of a known format. A pipe or device is only checked to exist, because opening it
     * to look would consume what it carries.
     */
    public static void check(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            open(file).close();
        } else if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
    }

    /** A pipe or device: one stream, its magic peeked (also inside gzip) and then read from the start. */
    private static EventSource openStream(Path file) throws IOException {
        String name = file.toString();
        long size = -1; // unknown: no progress fraction, and the reader decides nothing by it
        // FileInputStream, not Files.newInputStream: the latter's available() seeks, which a pipe
        // refuses ("Illegal seek"), and BufferedInputStream calls it between reads.
        CountingInputStream fileBytes = new CountingInputStream(new FileInputStream(file.toFile()));
        try {
            InputStream raw = new BufferedInputStream(fileBytes, GZIP_BUFFER);
            boolean compressed = Bytes.u16be(peek(raw), 0) == GZIP_MAGIC;
            InputStream in = raw;
            if (compressed) {
                try {
                    in = new BufferedInputStream(new GZIPInputStream(raw, GZIP_BUFFER), GZIP_BUFFER);
                } catch (ZipException | EOFException e) {
                    throw new InputException(name, 0, "corrupt gzip header: " + e.getMessage(), e);
                }
            }
            byte[] head = peek(in);
            if (EventLogFormat.startsWithMagic(head, 0, head.length)) {
                return EventLogReader.open(name, fileBytes, in, size);
            }
            return openCapture(name, new StreamInput(name, in, fileBytes, compressed), size, compressed);
        } catch (IOException | RuntimeException e) {
            fileBytes.close();
            throw e;
        }
    }

    /** The stream's first {@link #MAGIC_BYTES} (fewer if it is shorter), left unread. */
    private static byte[] peek(InputStream in) throws IOException {
        in.mark(MAGIC_BYTES);
        byte[] head = in.readNBytes(MAGIC_BYTES);
        in.reset();
        return Arrays.copyOf(head, Math.max(head.length, 2)); // u16be of a stream shorter than 2 bytes reads zeros
    }

    private static EventSource openCompressed(Path file, String name, long size) throws IOException {
        CountingInputStream fileBytes = new CountingInputStream(Files.newInputStream(file));
        GZIPInputStream gzip;
        try {
            gzip = new GZIPInputStream(fileBytes, GZIP_BUFFER);
        } catch (ZipException | EOFException e) {
            fileBytes.close();
            throw new InputException(name, 0, "corrupt gzip header: " + e.getMessage(), e);
        }
        return openCapture(name, new StreamInput(name, gzip, fileBytes, true), size, true);
    }

    private static EventSource openCapture(String name, ChunkedInput in, long size, boolean compressed)
            throws IOException {
        try {
            in.require(MAGIC_BYTES);
            int available = in.available();
            byte[] b = in.buffer();
            int p = in.pos();
            String where = compressed ? " (after gzip decompression)" : "";
            if (available < 4) {
                throw new InputException(name, 0, "only " + available + " bytes" + where
                        + ": too short for any capture format");
            }
            int magic = (int) Bytes.u32be(b, p);
            if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic))) {
                return PcapReader.open(name, in, size);
            }
            if (magic == PcapngReader.SECTION_HEADER) {
                return PcapngReader.open(name, in, size);
            }
            if (compressed && EventLogFormat.startsWithMagic(b, p, available)) {
                // A regular file (a stream's log was recognised before): the event log reader
                // decompresses by itself; hand it the file from the start.
                in.close();
                return EventLogReader.open(Path.of(name));
            }
            if (compressed && Bytes.u16be(b, p) == GZIP_MAGIC) {
                throw new InputException(name, 0, "gzip inside gzip is not read; decompress the outer layer first");
            }
            throw new InputException(name, 0, String.format(
                    "unknown format%s: magic %08x is neither pcap, pcapng, gzip nor a flat event log", where, magic));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static boolean isPcapMagic(int magic) {
        return magic == PcapReader.MAGIC_MICROS || magic == PcapReader.MAGIC_NANOS;
    }
}
