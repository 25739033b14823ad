package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.replay.FrameParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kernel/Java parity: every frame of every capture under testdata/ and the shared corpus goes
 * through the probe (BPF_PROG_TEST_RUN, Ethernet) and through the Java FrameParser; the records
 * must be byte-identical except ts_ns, ifindex and direction (the kernel's come from the test run,
 * not the file), and one side must produce a record exactly when the other does.
 *
 * <p>Frames of other link types are rewritten as Ethernet ({@link EthernetFrames}) for the kernel
 * while Java parses the original, so the comparison also covers the link-layer decoding; raw IP
 * frames also go as they are through a second object loaded with link = FLAT_LINK_RAW_IP. Frames
 * longer than BPF_PROG_TEST_RUN takes (about a page) are cut to 3 KiB less room for an Ethernet
 * header, for both sides, as a snap length would cut them. Frames the test run refuses (shorter than an Ethernet header) or whose
 * link type cannot be rewritten are not compared, and files read only in part (the corpus's
 * deliberately broken ones) are listed in the printed tally. Java gets ts_digits 9, as the
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
        FrameParser parser = new FrameParser();
        EventRecord fromJava = EventRecord.allocate();
        EventRecord fromKernel = EventRecord.allocate();
        byte[] ethernet = new byte[ProbeRunner.MAX_FRAME];
        int[] frameNumber = {0};
        String stoppedEarly = CaptureFrames.forEach(file, (linkType, buf, off, frameLength) -> {
            frameNumber[0]++;
            // BPF_PROG_TEST_RUN takes at most about a page: longer frames are cut for both
            // sides, as a snap length would cut them (headers are all that is parsed).
            int capLen = Math.min(frameLength, ProbeRunner.MAX_FRAME - 32);
            byte[] frame = java.util.Arrays.copyOfRange(buf, off, off + capLen);
            boolean javaEvent = parser.parse(linkType, frame, 0, capLen, 0L, EventRecord.DIGITS_NS,
                    Direction.UNKNOWN.code(), 0, fromJava.clear(), new InputStats());
            String where = file.getFileName() + " frame " + frameNumber[0];
            int len = EthernetFrames.toEthernet(linkType, frame, capLen, ethernet);
            if (len < 0) {
                tally.notComparable++;
            } else {
                compareRun(runner, ethernet, len, javaEvent, fromJava, fromKernel, where, tally);
            }
            if (EthernetFrames.isRawIp(linkType) && capLen >= EthernetFrames.MIN_TEST_RUN_FRAME) {
                // The same bytes through the object configured for raw IP devices: the test run
                // hands the program data_in as given, so it sees the IP header first.
                compareRun(rawRunner, frame, capLen, javaEvent, fromJava, fromKernel, where + " (raw IP object)", tally);
            }
        });
        if (stoppedEarly != null) {
            tally.stoppedEarly.add(file.getFileName() + ": " + stoppedEarly);
        }
    }

    private static void compareRun(ProbeRunner runner, byte[] frame, int len, boolean javaEvent, EventRecord fromJava,
                                   EventRecord fromKernel, String where, Tally tally) throws IOException {
        if (runner.run(frame, 0, len, 1) != 0) {
            tally.notComparable++;
            return;
        }
        boolean[] kernelEvent = {false};
        runner.drain(e -> {
            e.copyTo(fromKernel);
            kernelEvent[0] = true;
        });
        tally.frames++;
        if (javaEvent != kernelEvent[0]) {
            tally.mismatches.add(where + ": " + (javaEvent ? "only Java" : "only the kernel") + " made a record");
        } else if (javaEvent) {
            tally.events++;
            String diff = diff(fromJava, fromKernel);
            if (diff != null) {
                tally.mismatches.add(where + ": " + diff);
            }
        }
    }

    /** null when equal outside ts_ns, ifindex and direction; else the differing byte offsets. */
    private static String diff(EventRecord fromJava, EventRecord fromKernel) {
        List<String> offsets = new ArrayList<>();
        for (int i = 0; i < EventRecord.ENCODED_LENGTH; i++) {
            boolean ignored = i == EventRecord.DIRECTION_OFFSET
                    || (i >= EventRecord.IFINDEX_OFFSET && i < EventRecord.IFINDEX_OFFSET + 4)
                    || (i >= TS_OFFSET && i < TS_OFFSET + 8);
            byte j = fromJava.buffer().get(fromJava.offset() + i);
            byte k = fromKernel.buffer().get(fromKernel.offset() + i);
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

    private static final class Tally {
        long frames;
        long events;
        long notComparable;
        final List<String> stoppedEarly = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();

        @Override
        public String toString() {
            return frames + " frames compared, " + events + " records identical, " + notComparable
                    + " frames not comparable (test run refused or link type not convertible); files read only in part: " + stoppedEarly;
        }
    }
}
