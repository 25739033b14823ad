package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.SkipReason;
import dev.flat.replay.FrameParser;
import dev.flat.replay.LinkType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kernel/Java parity: every frame of every capture under testdata/ and the shared corpus goes
 * through the probe (BPF_PROG_TEST_RUN, Ethernet) and through the Java FrameParser; the records
 * must be byte-identical except ts_ns, ifindex and direction (the kernel's come from the test run,
 * not the file), one side must produce a record exactly when the other does, and a frame one side
 * skips as a parse error (Java: truncated, inconsistent, past a bound) the other must too. Hand-made
 * VLAN and MPLS stacks go through the same comparison, each with the outcome it is built for.
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

    /**
     * VLAN, MPLS and PPPoE stacks (issue 8): 0 to FLAT_MAX_VLAN_TAGS tags of the three TPIDs and
     * one more, every two-tag mix, 1 to FLAT_MAX_MPLS_LABELS labels (unicast and multicast) to
     * IPv4 and IPv6 and one more, labels under tags, what MPLS may carry that is not IP, Ethernet
     * pseudowires with a control word (addPseudowires), PPPoE
     * sessions (compressed protocol, not IP, wrong code or version), two tunnels the probe does
     * not enter, and every cut of the deepest stacks. Each frame has the outcome stated here, in the kernel and in Java.
     */
    @Test
    void kernelAndJavaDecodeVlanAndMplsStacksAlike() throws Exception {
        Privileged.require();
        List<Expected> frames = vlanAndMplsFrames();
        FlatConfig all = FlatConfig.allocate().kinds(FlatConfig.KIND_TCP | FlatConfig.KIND_UDP | FlatConfig.KIND_ICMP)
                .link(FlatConfig.LINK_ETHERNET);
        FrameParser parser = new FrameParser();
        EventRecord fromJava = EventRecord.allocate();
        EventRecord fromKernel = EventRecord.allocate();
        Tally tally = new Tally();
        List<String> unexpected = new ArrayList<>();
        try (ProbeRunner runner = new ProbeRunner(all, 1 << 16)) {
            for (Expected f : frames) {
                Outcome java = javaOutcomeAsProbe(parser, LinkType.ETHERNET, f.frame, f.frame.length, f.frame,
                        f.frame.length, fromJava, tally);
                Outcome kernel = compareRun(runner, f.frame, f.frame.length, java, fromJava, fromKernel, f.name, tally);
                if (kernel != f.outcome) {
                    unexpected.add(f.name + ": expected " + f.outcome + ", kernel " + kernel + ", Java " + java);
                }
            }
        }
        System.out.println("VLAN/MPLS/PPPoE parity: " + tally);
        assertEquals(List.of(), tally.mismatches, "kernel and Java disagree");
        assertEquals(List.of(), unexpected, "outcomes other than intended");
        assertEquals(frames.size(), tally.frames, "every frame compared");
    }

    /** A hand-made frame and what both parsers must make of it. */
    record Expected(String name, byte[] frame, Outcome outcome) {
    }

    private static List<Expected> vlanAndMplsFrames() {
        byte[][] packets = {StackedFrames.ipv4DnsQuery(), StackedFrames.ipv6TcpSyn(), StackedFrames.ipv4EchoRequest(),
                StackedFrames.ipv6EchoReply()};
        String[] packetNames = {"IPv4 DNS", "IPv6 SYN", "IPv4 echo", "ICMPv6 echo"};
        List<Expected> out = new ArrayList<>();
        for (int tags = 0; tags <= FrameParser.MAX_VLAN_TAGS + 1; tags++) {
            for (int p = 0; p < packets.length; p++) {
                byte[] frame = StackedFrames.ethernet(StackedFrames.tags(tags), StackedFrames.ethertypeOf(packets[p]), packets[p]);
                out.add(new Expected(tags + " tags, " + packetNames[p], frame,
                        tags <= FrameParser.MAX_VLAN_TAGS ? Outcome.RECORD : Outcome.PARSE_ERROR));
            }
        }
        for (int outer : StackedFrames.TPIDS) {
            for (int inner : StackedFrames.TPIDS) {
                out.add(new Expected(String.format("tags %04x/%04x, IPv4 DNS", outer, inner),
                        StackedFrames.ethernet(new int[] {outer, inner}, StackedFrames.ETHERTYPE_IPV4, packets[0]), Outcome.RECORD));
            }
        }
        out.add(new Expected("2 tags, ARP", StackedFrames.ethernet(StackedFrames.tags(2), StackedFrames.ETHERTYPE_ARP,
                new byte[28]), Outcome.NOT_RELEVANT));
        for (int labels = 1; labels <= FrameParser.MAX_MPLS_LABELS + 1; labels++) {
            Outcome outcome = labels <= FrameParser.MAX_MPLS_LABELS ? Outcome.RECORD : Outcome.PARSE_ERROR;
            for (int p = 0; p < packets.length; p++) {
                int ethertype = p % 2 == 0 ? StackedFrames.ETHERTYPE_MPLS : StackedFrames.ETHERTYPE_MPLS_MULTICAST;
                out.add(new Expected(String.format("%d labels (%04x), %s", labels, ethertype, packetNames[p]),
                        StackedFrames.ethernet(new int[0], ethertype, StackedFrames.mpls(labels, packets[p])), outcome));
            }
        }
        // MPLS carries no protocol field: the first nibble decides; 4 and 6 are IP, 0 a pseudowire.
        for (int nibble : new int[] {1, 5, 7, 15}) {
            byte[] payload = packets[0].clone();
            payload[0] = (byte) (nibble << 4 | (payload[0] & 0x0F));
            out.add(new Expected("2 labels, first nibble " + nibble, StackedFrames.ethernet(new int[0],
                    StackedFrames.ETHERTYPE_MPLS, StackedFrames.mpls(2, payload)), Outcome.NOT_RELEVANT));
        }
        addPseudowires(out, packets, packetNames);
        byte[] badIhl = packets[0].clone();
        badIhl[0] = 0x44; // IPv4 by its nibble, but a header length below 20
        out.add(new Expected("1 label, IPv4 with IHL 4", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_MPLS,
                StackedFrames.mpls(1, badIhl)), Outcome.PARSE_ERROR));
        out.add(new Expected("1 label, nothing after it", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_MPLS,
                StackedFrames.mpls(1, new byte[0])), Outcome.PARSE_ERROR));
        // PPPoE sessions (RFC 2516), also under tags, with and without protocol-field compression.
        out.add(new Expected("PPPoE, IPv4 DNS", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV4, false, packets[0])), Outcome.RECORD));
        out.add(new Expected("2 tags, PPPoE, IPv6 SYN, compressed protocol", StackedFrames.ethernet(StackedFrames.tags(2),
                StackedFrames.ETHERTYPE_PPPOE_SESSION, StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV6, true, packets[1])),
                Outcome.RECORD));
        out.add(new Expected("PPPoE, LCP", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_LCP, false, new byte[8])), Outcome.NOT_RELEVANT));
        out.add(new Expected("PPPoE, code 0x09 (PADI)", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x11, 0x09, StackedFrames.PPP_IPV4, false, packets[0])), Outcome.PARSE_ERROR));
        out.add(new Expected("PPPoE, version 2", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x21, 0, StackedFrames.PPP_IPV4, false, packets[0])), Outcome.PARSE_ERROR));
        out.add(new Expected("PPPoE, PPP says IPv4, the packet is IPv6", StackedFrames.ethernet(new int[0],
                StackedFrames.ETHERTYPE_PPPOE_SESSION, StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV4, false, packets[1])),
                Outcome.PARSE_ERROR));
        // Tunnels: FrameParser enters them, the probe does not (TunnelProtocol).
        for (int tunnel : new int[] {4, 47}) {
            byte[] inner = tunnel == 47 ? concat(new byte[] {0, 0, 0x08, 0x00}, packets[0]) : packets[0];
            byte[] outer = StackedFrames.ipv4(tunnel, inner, new byte[] {(byte) 192, 0, 2, 1}, new byte[] {(byte) 198, 51, 100, 1});
            out.add(new Expected("IPv4 protocol " + tunnel + " around a DNS query", StackedFrames.ethernet(StackedFrames.tags(1),
                    StackedFrames.ETHERTYPE_IPV4, outer), Outcome.NOT_RELEVANT));
        }
        // Labels under tags; the deepest stack both bounds allow.
        byte[] deepest = null;
        for (int p = 0; p < packets.length; p++) {
            byte[] frame = StackedFrames.ethernet(StackedFrames.tags(FrameParser.MAX_VLAN_TAGS), StackedFrames.ETHERTYPE_MPLS,
                    StackedFrames.mpls(FrameParser.MAX_MPLS_LABELS, packets[p]));
            out.add(new Expected(FrameParser.MAX_VLAN_TAGS + " tags, " + FrameParser.MAX_MPLS_LABELS + " labels, "
                    + packetNames[p], frame, Outcome.RECORD));
            deepest = p == 0 ? frame : deepest;
            out.add(new Expected("2 tags, 3 labels, " + packetNames[p], StackedFrames.ethernet(StackedFrames.tags(2),
                    StackedFrames.ETHERTYPE_MPLS_MULTICAST, StackedFrames.mpls(3, packets[p])), Outcome.RECORD));
        }
        // Every cut of the deepest stack over a DNS query, and of tags over a SYN, from the
        // Ethernet header (the shortest frame a test run takes) on: a record once the transport
        // header is whole (the UDP payload may be cut: its length is the header's), before that
        // a header cut short.
        addCuts(out, "deepest stack", deepest, deepest.length - packets[0].length + 20 + 8);
        byte[] tagsOverSyn = StackedFrames.ethernet(StackedFrames.tags(3), StackedFrames.ETHERTYPE_IPV6, packets[1]);
        addCuts(out, "3 tags, IPv6 SYN", tagsOverSyn, tagsOverSyn.length);
        byte[] labelsOverEcho = StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_MPLS, StackedFrames.mpls(5, packets[3]));
        addCuts(out, "5 labels, ICMPv6 echo", labelsOverEcho, labelsOverEcho.length - 4); // 4 bytes of echo data
        byte[] pppoeOverEcho = StackedFrames.ethernet(StackedFrames.tags(1), StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV4, false, packets[2]));
        addCuts(out, "1 tag, PPPoE, IPv4 echo", pppoeOverEcho, pppoeOverEcho.length - 4);
        return out;
    }

    /**
     * Ethernet pseudowires with a control word (RFC 4385, RFC 4448): to each kind of packet, with
     * tags on both sides of the control word (the inner frame's up to the bound: only the frame's
     * own outermost tag can be in skb metadata), to MPLS again, nested up to FLAT_MAX_TUNNELS and
     * one more, carrying ARP, and cut in the control word and in the inner Ethernet header.
     */
    private static void addPseudowires(List<Expected> out, byte[][] packets, String[] packetNames) {
        for (int p = 0; p < packets.length; p++) {
            byte[] inner = StackedFrames.ethernet(StackedFrames.tags(p), StackedFrames.ethertypeOf(packets[p]), packets[p]);
            out.add(new Expected("pseudowire, " + p + " inner tags, " + packetNames[p], StackedFrames.ethernet(
                    StackedFrames.tags(1), StackedFrames.ETHERTYPE_MPLS, StackedFrames.mpls(2, StackedFrames.pseudowire(inner))),
                    Outcome.RECORD));
        }
        for (int tags = FrameParser.MAX_VLAN_TAGS; tags <= FrameParser.MAX_VLAN_TAGS + 1; tags++) {
            byte[] inner = StackedFrames.ethernet(StackedFrames.tags(tags), StackedFrames.ETHERTYPE_IPV4, packets[0]);
            out.add(new Expected(FrameParser.MAX_VLAN_TAGS + " tags, " + FrameParser.MAX_MPLS_LABELS + " labels, pseudowire, "
                    + tags + " inner tags, IPv4 DNS", StackedFrames.ethernet(StackedFrames.tags(FrameParser.MAX_VLAN_TAGS),
                    StackedFrames.ETHERTYPE_MPLS_MULTICAST, StackedFrames.mpls(FrameParser.MAX_MPLS_LABELS,
                            StackedFrames.pseudowire(inner))),
                    tags <= FrameParser.MAX_VLAN_TAGS ? Outcome.RECORD : Outcome.PARSE_ERROR));
        }
        byte[] nested = StackedFrames.ethernet(StackedFrames.tags(2), StackedFrames.ETHERTYPE_IPV6, packets[1]);
        for (int depth = 1; depth <= FrameParser.MAX_TUNNELS + 1; depth++) {
            nested = StackedFrames.ethernet(StackedFrames.tags(1), StackedFrames.ETHERTYPE_MPLS,
                    StackedFrames.mpls(3, StackedFrames.pseudowire(nested)));
            out.add(new Expected(depth + " nested pseudowires, IPv6 SYN", nested,
                    depth <= FrameParser.MAX_TUNNELS ? Outcome.RECORD : Outcome.PARSE_ERROR));
        }
        out.add(new Expected("pseudowire, ARP", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_MPLS,
                StackedFrames.mpls(1, StackedFrames.pseudowire(StackedFrames.ethernet(StackedFrames.tags(1),
                        StackedFrames.ETHERTYPE_ARP, new byte[28])))), Outcome.NOT_RELEVANT));
        out.add(new Expected("pseudowire, PPPoE, IPv4 echo", StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_MPLS,
                StackedFrames.mpls(1, StackedFrames.pseudowire(StackedFrames.ethernet(new int[0],
                        StackedFrames.ETHERTYPE_PPPOE_SESSION, StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV4, false,
                                packets[2]))))), Outcome.RECORD));
        byte[] pseudowireOverEcho = StackedFrames.ethernet(new int[0], StackedFrames.ETHERTYPE_MPLS,
                StackedFrames.mpls(2, StackedFrames.pseudowire(StackedFrames.ethernet(StackedFrames.tags(1),
                        StackedFrames.ETHERTYPE_IPV6, packets[3]))));
        addCuts(out, "2 labels, pseudowire, 1 tag, ICMPv6 echo", pseudowireOverEcho, pseudowireOverEcho.length - 4);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void addCuts(List<Expected> out, String name, byte[] frame, int wholeTransportHeader) {
        for (int len = EthernetFrames.MIN_TEST_RUN_FRAME; len < frame.length; len++) {
            out.add(new Expected(name + " cut to " + len + " bytes", Arrays.copyOf(frame, len),
                    len >= wholeTransportHeader ? Outcome.RECORD : Outcome.PARSE_ERROR));
        }
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
            byte[] frame = Arrays.copyOfRange(buf, off, off + capLen);
            String where = file.getFileName() + " frame " + frameNumber[0];
            int len = EthernetFrames.toEthernet(linkType, frame, capLen, ethernet);
            Outcome java = javaOutcomeAsProbe(parser, linkType, frame, capLen, ethernet, len, fromJava, tally);
            if (len < 0) {
                tally.notComparable++;
            } else {
                compareRun(runner, ethernet, len, java, fromJava, fromKernel, where, tally);
            }
            if (EthernetFrames.isRawIp(linkType) && capLen >= EthernetFrames.MIN_TEST_RUN_FRAME) {
                // The same bytes through the object configured for raw IP devices: the test run
                // hands the program data_in as given, so it sees the IP header first.
                compareRun(rawRunner, frame, capLen, java, fromJava, fromKernel, where + " (raw IP object)", tally);
            }
        });
        if (stoppedEarly != null) {
            tally.stoppedEarly.add(file.getFileName() + ": " + stoppedEarly);
        }
    }

    /**
     * What FrameParser makes of the frame, as the probe must: a tunnel (IP in IP, GRE), which
     * FrameParser enters and the probe does not, is parsed from the Ethernet form with the
     * protocol byte naming it overwritten by an unassigned number ({@link TunnelProtocol}), so the
     * probe must treat the packet as one of a protocol it does not know.
     */
    static Outcome javaOutcomeAsProbe(FrameParser parser, int linkType, byte[] frame, int capLen, byte[] ethernet,
                                      int ethernetLength, EventRecord out, Tally tally) {
        InputStats stats = new InputStats();
        int tunnel = ethernetLength < 0 ? -1 : TunnelProtocol.offset(ethernet, ethernetLength);
        if (tunnel < 0) {
            return javaOutcome(parser.parse(linkType, frame, 0, capLen, 0L, EventRecord.DIGITS_NS,
                    Direction.UNKNOWN.code(), 0, out.clear(), stats), stats);
        }
        tally.tunnels++;
        byte[] unknownProtocol = Arrays.copyOf(ethernet, ethernetLength);
        unknownProtocol[tunnel] = (byte) TunnelProtocol.UNASSIGNED;
        return javaOutcome(parser.parse(LinkType.ETHERNET, unknownProtocol, 0, ethernetLength, 0L, EventRecord.DIGITS_NS,
                Direction.UNKNOWN.code(), 0, out.clear(), stats), stats);
    }

    /** What a parser made of a frame: a record, or a skip counted as a parse error or as not relevant. */
    enum Outcome { RECORD, PARSE_ERROR, NOT_RELEVANT }

    /**
     * Java's skip reasons that the probe counts in FLAT_CNT_PARSE_ERRORS (flat_event.h): headers
     * cut short or contradicting themselves, and stacks past a bound the two share. Every other
     * reason is a packet the probe counts only as seen (not relevant).
     */
    private static final Set<SkipReason> PARSE_ERRORS = EnumSet.of(SkipReason.TRUNCATED_LINK, SkipReason.TRUNCATED_IP,
            SkipReason.TRUNCATED_TRANSPORT, SkipReason.INCONSISTENT_HEADER, SkipReason.TOO_MANY_EXTENSION_HEADERS,
            SkipReason.TOO_MANY_ENCAPSULATIONS);

    static Outcome javaOutcome(boolean event, InputStats stats) {
        if (event) {
            return Outcome.RECORD;
        }
        Map<SkipReason, Long> reasons = stats.skippedByReason();
        assertEquals(1, reasons.values().stream().mapToLong(Long::longValue).sum(), "one skip per frame: " + reasons);
        return PARSE_ERRORS.contains(reasons.keySet().iterator().next()) ? Outcome.PARSE_ERROR : Outcome.NOT_RELEVANT;
    }

    /**
     * Runs the frame through the probe and compares with what Java made of it (javaOutcome, and
     * the record in fromJava): the records byte for byte, and a skip by the counter it moved.
     *
     * @return the kernel's outcome, or null when the test run refused the frame
     */
    private static Outcome compareRun(ProbeRunner runner, byte[] frame, int len, Outcome javaOutcome, EventRecord fromJava,
                                      EventRecord fromKernel, String where, Tally tally) throws IOException {
        long parseErrors = runner.counter(ProbeCounters.PARSE_ERRORS);
        if (runner.run(frame, 0, len, 1) != 0) {
            tally.notComparable++;
            return null;
        }
        boolean[] kernelEvent = {false};
        runner.drain(e -> {
            e.copyTo(fromKernel);
            kernelEvent[0] = true;
        });
        Outcome kernelOutcome = kernelEvent[0] ? Outcome.RECORD
                : runner.counter(ProbeCounters.PARSE_ERRORS) > parseErrors ? Outcome.PARSE_ERROR : Outcome.NOT_RELEVANT;
        tally.frames++;
        if (javaOutcome != kernelOutcome) {
            tally.mismatches.add(where + ": Java " + javaOutcome + ", kernel " + kernelOutcome);
        } else if (kernelOutcome == Outcome.RECORD) {
            tally.events++;
            String diff = diff(fromJava, fromKernel);
            if (diff != null) {
                tally.mismatches.add(where + ": " + diff);
            }
        }
        return kernelOutcome;
    }

    /** null when equal outside ts_ns, ifindex and direction; else the differing byte offsets. */
    static String diff(EventRecord fromJava, EventRecord fromKernel) {
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
        long tunnels;
        final List<String> stoppedEarly = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();

        @Override
        public String toString() {
            return frames + " frames compared, " + events + " records identical, " + tunnels
                    + " frames naming a tunnel (compared with FrameParser told the protocol is unknown), " + notComparable
                    + " frames not comparable (test run refused or link type not convertible); files read only in part: " + stoppedEarly;
        }
    }
}
