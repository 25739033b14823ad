package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.replay.FrameParser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Kernel/Java parity: every frame of every capture under testdata/ and the shared corpus goes
 * through the probe (BPF_PROG_TEST_RUN, Ethernet) and through the Java FrameParser; the records
 * must be byte-identical except ts_ns, ifindex and direction (the kernel's come from the test run,
 * not the file), and one side must produce a record exactly when the other does.
 *
 * <p>Frames of other link types are rewritten as Ethernet ({@link EthernetFrames}) for the kernel
 * while Java parses the original, so the comparison also covers the link-layer decoding; raw IP
 * frames also go as they are through a second object loaded with link = FLAT_LINK_RAW_IP. Frames
 * longer than BPF_PROG_TEST_RUN takes (about a page) are cut to 3 KiB minus room for an Ethernet header for both sides, as a snap
 * length would cut them. Frames the test run refuses (shorter than an Ethernet header) or whose
 * link type cannot be rewritten, and files libpcap cannot read (pcapng files mixing link types or
 * snap lengths, broken files), are not compared and are reported. Java gets ts_digits 9, as the
 * kernel sets.
 */
class ProbeParityTest {
    private static final List<Path> ROOTS = List.of(Path.of("../testdata"), Path.of("../../shared/corpus"));
    private static final int TS_OFFSET = EventRecord.TS_NS_OFFSET;

    @Test
    void kernelAndJavaBuildIdenticalRecordsForEveryCapturedFrame() throws Exception {
        Privileged.require();
        List<Path> files = captures();
        assertTrue(files.size() >= 10, "expected the shared corpus at ../../shared/corpus, found " + files);
        FlatConfig all = FlatConfig.allocate().kinds(FlatConfig.KIND_TCP | FlatConfig.KIND_UDP | FlatConfig.KIND_ICMP)
                .link(FlatConfig.LINK_ETHERNET);
        FlatConfig rawIp = FlatConfig.allocate().kinds(all.kinds()).link(FlatConfig.LINK_RAW_IP);
        Tally tally = new Tally();
        try (ProbeRunner ethernet = new ProbeRunner(all, 1 << 16); ProbeRunner raw = new ProbeRunner(rawIp, 1 << 16)) {
            for (Path file : files) {
                compareFile(ethernet, raw, file, tally);
            }
        }
        System.out.println("kernel/Java parity: " + tally);
        assertEquals(List.of(), tally.mismatches, "records differ");
        assertTrue(tally.events > 100, "too few events compared: " + tally);
    }

    private static void compareFile(ProbeRunner runner, ProbeRunner rawRunner, Path file, Tally tally) throws IOException {
        Path readable = decompressed(file);
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(readable.toString(), PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            tally.unreadable.add(file.getFileName() + " (" + e.getMessage() + ")");
            return;
        }
        FrameParser parser = new FrameParser();
        EventRecord java = EventRecord.allocate();
        EventRecord kernel = EventRecord.allocate();
        byte[] ethernet = new byte[ProbeRunner.MAX_FRAME];
        int frameNumber = 0;
        try {
            int linkType = handle.getDlt().value();
            while (true) {
                byte[] frame;
                try {
                    frame = handle.getNextRawPacketEx();
                } catch (EOFException end) {
                    break;
                } catch (Exception e) {
                    tally.unreadable.add(file.getFileName() + " after frame " + frameNumber + " (" + e.getMessage() + ")");
                    break;
                }
                frameNumber++;
                // BPF_PROG_TEST_RUN takes at most about a page: longer frames are cut for both
                // sides, as a snap length would cut them (headers are all that is parsed).
                int capLen = Math.min(frame.length, ProbeRunner.MAX_FRAME - 32);
                int len = EthernetFrames.toEthernet(linkType, frame, capLen, ethernet);
                boolean javaEvent = parser.parse(linkType, frame, 0, capLen, 0L, EventRecord.DIGITS_NS,
                        Direction.UNKNOWN.code(), 0, java.clear(), new InputStats());
                if (len < 0) {
                    tally.notComparable++;
                    continue;
                }
                String where = file.getFileName() + " frame " + frameNumber;
                compareRun(runner, ethernet, len, javaEvent, java, kernel, where, tally);
                if (EthernetFrames.isRawIp(linkType) && capLen >= EthernetFrames.MIN_TEST_RUN_FRAME) {
                    // The same bytes through the object configured for raw IP devices: the test run
                    // hands the program data_in as given, so it sees the IP header first.
                    compareRun(rawRunner, frame, capLen, javaEvent, java, kernel, where + " (raw IP object)", tally);
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError(file + " frame " + frameNumber, e);
        } finally {
            handle.close();
        }
    }

    private static void compareRun(ProbeRunner runner, byte[] frame, int len, boolean javaEvent, EventRecord java,
                                   EventRecord kernel, String where, Tally tally) throws IOException {
        if (runner.run(frame, 0, len, 1) != 0) {
            tally.notComparable++;
            return;
        }
        boolean[] kernelEvent = {false};
        runner.drain(e -> {
            e.copyTo(kernel);
            kernelEvent[0] = true;
        });
        tally.frames++;
        if (javaEvent != kernelEvent[0]) {
            tally.mismatches.add(where + ": " + (javaEvent ? "only Java" : "only the kernel") + " made a record");
        } else if (javaEvent) {
            tally.events++;
            String diff = diff(java, kernel);
            if (diff != null) {
                tally.mismatches.add(where + ": " + diff);
            }
        }
    }

    /** null when equal outside ts_ns, ifindex and direction; else the differing byte offsets. */
    private static String diff(EventRecord java, EventRecord kernel) {
        List<String> offsets = new ArrayList<>();
        for (int i = 0; i < EventRecord.ENCODED_LENGTH; i++) {
            boolean ignored = i == EventRecord.DIRECTION_OFFSET
                    || (i >= EventRecord.IFINDEX_OFFSET && i < EventRecord.IFINDEX_OFFSET + 4)
                    || (i >= TS_OFFSET && i < TS_OFFSET + 8);
            byte j = java.buffer().get(java.offset() + i);
            byte k = kernel.buffer().get(kernel.offset() + i);
            if (!ignored && j != k) {
                offsets.add(i + ":" + (j & 0xFF) + "/" + (k & 0xFF));
            }
        }
        return offsets.isEmpty() ? null : "offset:java/kernel " + String.join(" ", offsets);
    }

    private static List<Path> captures() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                files.addAll(s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)(\\.gz)?$"))
                        .sorted().collect(Collectors.toList()));
            }
        }
        return files;
    }

    /** libpcap reads no gzip: inflate such files into a temporary copy (bounded by the file itself). */
    private static Path decompressed(Path file) throws IOException {
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.read(magic) != 2 || (magic[0] & 0xFF) != 0x1F || (magic[1] & 0xFF) != 0x8B) {
                return file;
            }
        }
        Path tmp = Files.createTempFile("flat-parity", ".pcap");
        tmp.toFile().deleteOnExit();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    private static final class Tally {
        long frames;
        long events;
        long notComparable;
        final List<String> unreadable = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();

        @Override
        public String toString() {
            return frames + " frames compared, " + events + " records identical, " + notComparable
                    + " frames not comparable (test run refused or link type not convertible), unreadable: " + unreadable;
        }
    }
}
