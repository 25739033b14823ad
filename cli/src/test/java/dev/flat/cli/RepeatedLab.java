package dev.flat.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Captures of any size for tests that need flat to be busy for a while: the records of
 * testdata/lab/lab.pcap (little-endian) written again and again, each copy
 * {@value #COPY_SPACING_S} s after the one before, so that every copy's exchanges are new ones
 * rather than retransmissions of the last.
 */
final class RepeatedLab {
    private static final Path LAB_PCAP = Path.of("..", "testdata", "lab", "lab.pcap");
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int COPY_SPACING_S = 1000;

    private final byte[] header;
    private final byte[] records;
    private final int[] recordOffsets;

    private RepeatedLab(byte[] lab) {
        ByteBuffer b = ByteBuffer.wrap(lab).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xA1B2C3D4 && b.getInt(0) != 0xA1B23C4D) {
            throw new IllegalStateException(LAB_PCAP + " is expected to be a little-endian pcap");
        }
        header = java.util.Arrays.copyOf(lab, FILE_HEADER);
        records = java.util.Arrays.copyOfRange(lab, FILE_HEADER, lab.length);
        int count = 0;
        int[] offsets = new int[records.length / RECORD_HEADER];
        for (int at = 0; at < records.length; at += RECORD_HEADER + b.getInt(FILE_HEADER + at + 8)) {
            offsets[count++] = at;
        }
        recordOffsets = java.util.Arrays.copyOf(offsets, count);
    }

    static RepeatedLab load() throws IOException {
        return new RepeatedLab(Files.readAllBytes(LAB_PCAP));
    }

    /** Packet records in {@code copies} copies. */
    long packets(int copies) {
        return (long) copies * recordOffsets.length;
    }

    /** Writes {@code copies} copies into {@code file}, gzip-compressed when asked. */
    Path write(Path file, int copies, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
            out.write(header);
            ByteBuffer copy = ByteBuffer.wrap(records.clone()).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer original = ByteBuffer.wrap(records).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < copies; c++) {
                for (int at : recordOffsets) {
                    copy.putInt(at, original.getInt(at) + c * COPY_SPACING_S);
                }
                out.write(copy.array());
            }
        }
        return file;
    }
}
