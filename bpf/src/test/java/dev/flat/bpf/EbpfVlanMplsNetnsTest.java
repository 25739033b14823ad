package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.bpf.ProbeParityTest.Outcome;
import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import dev.flat.replay.FrameParser;
import dev.flat.replay.LinkType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VLAN tag stacks, MPLS label stacks and PPPoE sessions on a live veth: frames sent with a packet socket, each a
 * UDP datagram from its own source port, are recorded by the attached probe exactly as
 * FrameParser parses the same frame from a capture (where libpcap shows every tag in the bytes),
 * and the frames it skips as parse errors move the kernel's counter.
 *
 * <p>What differs from BPF_PROG_TEST_RUN is where the outermost tag lives: the kernel moves an
 * 802.1Q or 802.1ad tag of a received frame into skb metadata before tc ingress
 * (skb_vlan_untag), and a sender (a VLAN device, bpf_skb_vlan_push) leaves it there on egress;
 * whether the veth's VLAN offloads are on only decides whether the tag crosses the veth as
 * metadata or in the bytes. This kernel has no 8021q module (no VLAN devices) and no act_vlan, so
 * the sender's metadata tag comes from a classic tc filter running bpf_skb_vlan_push
 * (test resource vlan_push.bpf.c, compiled here with clang), installed before flat's filter.
 */
class EbpfVlanMplsNetnsTest {
    private static final int RING_BYTES = 1 << 20;
    private static final int FIRST_PORT = 20000;
    private static final long WAIT_NS = 5_000_000_000L;
    private static final String PUSH_SOURCE = "vlan_push.bpf.c";
    /** Sends each hex frame given after the interface name once, as it is (a packet socket adds nothing). */
    private static final String SEND_FRAMES = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)",
            "s.bind((sys.argv[1], 0))",
            "for frame in sys.argv[2:]:",
            "    s.send(bytes.fromhex(frame))");

    @TempDir
    static Path work;
    private static Path pushObject;

    @BeforeAll
    static void buildVlanPusher() throws IOException {
        Privileged.requireTool("clang", "clang");
        Path source = work.resolve(PUSH_SOURCE);
        try (var in = EbpfVlanMplsNetnsTest.class.getResourceAsStream(PUSH_SOURCE)) {
            Files.copy(in, source);
        }
        pushObject = work.resolve("vlan_push.bpf.o");
        String multiarch = Shell.run("sh", "-c", "clang -print-multiarch 2>/dev/null || gcc -dumpmachine").trim();
        Shell.run("clang", "-O2", "-g", "-target", "bpfel", "-I/usr/include/" + multiarch, "-c", source.toString(),
                "-o", pushObject.toString());
    }

    @BeforeEach
    void tools() {
        Privileged.requireTool("python3", "python3");
    }

    /** Frames from the namespace: at the host's tc ingress an outer 802.1Q/802.1ad tag is metadata, 0x9100 stays in the bytes. */
    @Test
    void receivedStacksAreRecordedAsFromACapture() throws Exception {
        try (VethLab lab = lab(); EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.AUTO))) {
            sendAndCompare(lab, capture, true, false);
        }
    }

    /**
     * The sender pushes one more tag into skb metadata: with VLAN offload on, the tag crosses the
     * veth as metadata; with it off, the sender's stack writes it into the frame and the
     * receiver's takes it out again. The probe at the receiver's ingress records the same either way.
     */
    @Test
    void aTagPushedByTheSenderIsCountedWithVlanOffloadOnAndOff() throws Exception {
        Privileged.requireTool("ethtool", "ethtool");
        try (VethLab lab = lab()) {
            lab.inNamespace("tc", "qdisc", "add", "dev", lab.peer, "clsact");
            lab.inNamespace("tc", "filter", "add", "dev", lab.peer, "egress", "pref", "1", "bpf", "da", "obj",
                    pushObject.toString(), "sec", "tc");
            for (String offload : new String[] {"on", "off"}) {
                lab.inNamespace("ethtool", "-K", lab.peer, "rxvlan", offload, "txvlan", offload);
                Shell.run("ethtool", "-K", lab.host, "rxvlan", offload, "txvlan", offload);
                try (EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.AUTO))) {
                    sendAndCompare(lab, capture, true, true);
                }
            }
        }
    }

    /**
     * Frames sent on the host's veth: at tc egress every tag is in the bytes as sent, unless a
     * filter before flat's pushed one into metadata (as a VLAN device does); with VLAN offload
     * off the stack writes that tag into the frame only after the tc hook.
     */
    @Test
    void sentStacksAreRecordedWithTagsInTheBytesOrInMetadata() throws Exception {
        Privileged.requireTool("ethtool", "ethtool");
        try (VethLab lab = lab()) {
            try (EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TC))) {
                sendAndCompare(lab, capture, false, false);
            }
            Shell.run("tc", "qdisc", "add", "dev", lab.host, "clsact");
            Shell.run("tc", "filter", "add", "dev", lab.host, "egress", "pref", "1", "bpf", "da", "obj",
                    pushObject.toString(), "sec", "tc");
            for (String offload : new String[] {"on", "off"}) {
                Shell.run("ethtool", "-K", lab.host, "rxvlan", offload, "txvlan", offload);
                // Legacy tc: flat takes the first free priority, 2, so the pusher runs first.
                try (EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TC))) {
                    sendAndCompare(lab, capture, false, true);
                }
            }
        }
    }

    private static VethLab lab() throws IOException {
        return new VethLab("fprn", "fpr");
    }

    private static LiveOptions options(VethLab lab, AttachMode mode) {
        return new LiveOptions(lab.host, Backend.EBPF, mode, RING_BYTES, Set.of(), List.of(), List.of());
    }

    /**
     * Sends {@link #frames} from the peer (to the host's ingress) or from the host (its egress),
     * and checks the probe's records and parse errors against FrameParser's for each frame as a
     * capture shows it: with the pushed tag, when {@code pushed}, outermost in the bytes.
     */
    private static void sendAndCompare(VethLab lab, EbpfCapture capture, boolean fromPeer, boolean pushed) throws IOException {
        String where = (fromPeer ? "ingress" : "egress") + (pushed ? ", tag pushed into metadata" : "");
        byte[] hostMac = mac(lab, false);
        byte[] peerMac = mac(lab, true);
        List<byte[]> frames = frames(fromPeer ? hostMac : peerMac, fromPeer ? peerMac : hostMac);

        FrameParser parser = new FrameParser();
        Map<Integer, EventRecord> expected = new TreeMap<>();
        int expectedParseErrors = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] captured = pushed ? withOuterTag(frames.get(i)) : frames.get(i);
            EventRecord record = EventRecord.allocate();
            InputStats stats = new InputStats();
            Outcome outcome = ProbeParityTest.javaOutcome(parser.parse(LinkType.ETHERNET, captured, 0, captured.length, 0L,
                    EventRecord.DIGITS_NS, Direction.UNKNOWN.code(), 0, record, stats), stats);
            if (outcome == Outcome.RECORD) {
                expected.put(FIRST_PORT + i, record);
            } else if (outcome == Outcome.PARSE_ERROR) {
                expectedParseErrors++;
            }
        }
        assertTrue(expected.size() >= 10 && expectedParseErrors >= 2, where + ": the frames exercise records and errors");

        long parseErrorsBefore = capture.counters().parseErrors();
        List<String> command = new ArrayList<>(List.of("python3", "-c", SEND_FRAMES, fromPeer ? lab.peer : lab.host));
        frames.forEach(f -> command.add(HexFormat.of().formatHex(f)));
        if (fromPeer) {
            lab.inNamespace(command.toArray(String[]::new));
        } else {
            Shell.run(command.toArray(String[]::new));
        }

        Map<Integer, EventRecord> recorded = collect(capture, frames.size(), expected.size());
        assertEquals(expected.keySet(), recorded.keySet(), where + ": the frames (by source port) that became records");
        int direction = (fromPeer ? Direction.INGRESS : Direction.EGRESS).code();
        for (Map.Entry<Integer, EventRecord> e : expected.entrySet()) {
            EventRecord kernel = recorded.get(e.getKey());
            assertEquals(null, ProbeParityTest.diff(e.getValue(), kernel), where + ": frame " + (e.getKey() - FIRST_PORT));
            assertEquals(direction, kernel.direction(), where);
            assertEquals(capture.ifindex(), kernel.ifindex(), where);
        }
        assertEquals(expectedParseErrors, capture.counters().parseErrors() - parseErrorsBefore,
                where + ": frames counted as parse errors");
    }

    /**
     * One UDP datagram per frame, source port FIRST_PORT + index: 0 to MAX_VLAN_TAGS + 1 tags
     * cycling through the three TPIDs (so the outermost is 802.1ad, 802.1Q or 0x9100 in turn),
     * stacks of each TPID outermost at the bound, MPLS stacks of 1, 3, MAX_MPLS_LABELS and one
     * more labels, labels under tags, the deepest stack of both, PPPoE sessions with and without
     * a tag, MPLS carrying no IP, and Ethernet pseudowires under a tag with a full stack of tags
     * inside and one more.
     */
    static List<byte[]> frames(byte[] dst, byte[] src) {
        List<byte[]> frames = new ArrayList<>();
        for (int tags = 0; tags <= FrameParser.MAX_VLAN_TAGS + 1; tags++) {
            int[] tpids = StackedFrames.tags(tags);
            byte[] ip = StackedFrames.dnsQuery(tags % 2 == 0 ? 4 : 6, FIRST_PORT + frames.size());
            frames.add(StackedFrames.ethernet(dst, src, tpids, StackedFrames.ethertypeOf(ip), ip));
        }
        for (int outer : StackedFrames.TPIDS) {
            int[] tpids = StackedFrames.tags(FrameParser.MAX_VLAN_TAGS);
            tpids[0] = outer;
            byte[] ip = StackedFrames.dnsQuery(4, FIRST_PORT + frames.size());
            frames.add(StackedFrames.ethernet(dst, src, tpids, StackedFrames.ETHERTYPE_IPV4, ip));
        }
        for (int labels : new int[] {1, 3, FrameParser.MAX_MPLS_LABELS, FrameParser.MAX_MPLS_LABELS + 1}) {
            byte[] ip = StackedFrames.dnsQuery(labels % 2 == 0 ? 6 : 4, FIRST_PORT + frames.size());
            frames.add(StackedFrames.ethernet(dst, src, new int[0], StackedFrames.ETHERTYPE_MPLS, StackedFrames.mpls(labels, ip)));
        }
        byte[] ip = StackedFrames.dnsQuery(4, FIRST_PORT + frames.size());
        frames.add(StackedFrames.ethernet(dst, src, StackedFrames.tags(2), StackedFrames.ETHERTYPE_MPLS_MULTICAST,
                StackedFrames.mpls(2, ip)));
        ip = StackedFrames.dnsQuery(6, FIRST_PORT + frames.size());
        frames.add(StackedFrames.ethernet(dst, src, StackedFrames.tags(FrameParser.MAX_VLAN_TAGS), StackedFrames.ETHERTYPE_MPLS,
                StackedFrames.mpls(FrameParser.MAX_MPLS_LABELS, ip)));
        ip = StackedFrames.dnsQuery(4, FIRST_PORT + frames.size());
        frames.add(StackedFrames.ethernet(dst, src, new int[] {StackedFrames.TPID_8021Q}, StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV4, false, ip)));
        ip = StackedFrames.dnsQuery(6, FIRST_PORT + frames.size());
        frames.add(StackedFrames.ethernet(dst, src, new int[0], StackedFrames.ETHERTYPE_PPPOE_SESSION,
                StackedFrames.pppoe(0x11, 0, StackedFrames.PPP_IPV6, true, ip)));
        ip = StackedFrames.dnsQuery(4, FIRST_PORT + frames.size());
        ip[0] = 0x15; // first nibble 1, the associated channel (RFC 5586): not IP
        frames.add(StackedFrames.ethernet(dst, src, new int[0], StackedFrames.ETHERTYPE_MPLS, StackedFrames.mpls(2, ip)));
        // Ethernet pseudowires under the frame's own tag, whose inner frame has a full stack of tags
        // (all in the bytes: only the outermost tag of the frame can be metadata) and one more.
        for (int tags = FrameParser.MAX_VLAN_TAGS; tags <= FrameParser.MAX_VLAN_TAGS + 1; tags++) {
            ip = StackedFrames.dnsQuery(tags % 2 == 0 ? 4 : 6, FIRST_PORT + frames.size());
            byte[] inner = StackedFrames.ethernet(StackedFrames.tags(tags), StackedFrames.ethertypeOf(ip), ip);
            frames.add(StackedFrames.ethernet(dst, src, new int[] {StackedFrames.TPID_8021Q}, StackedFrames.ETHERTYPE_MPLS,
                    StackedFrames.mpls(2, StackedFrames.pseudowire(inner))));
        }
        return frames;
    }

    /** The frame as a capture shows a tag pushed into metadata: 802.1Q, outermost, after the MAC addresses. */
    private static byte[] withOuterTag(byte[] frame) {
        byte[] out = new byte[frame.length + 4];
        System.arraycopy(frame, 0, out, 0, 12);
        out[12] = (byte) 0x81;
        out[13] = 0x00;
        out[15] = 42; // the TCI vlan_push.bpf.c pushes; the record does not carry it
        System.arraycopy(frame, 12, out, 16, frame.length - 12);
        return out;
    }

    /** The test's UDP records by source port, once {@code want} have arrived, plus any latecomer within a short grace. */
    private static Map<Integer, EventRecord> collect(EbpfCapture capture, int frames, int want) throws IOException {
        Map<Integer, EventRecord> out = new TreeMap<>();
        long deadline = System.nanoTime() + WAIT_NS;
        long grace = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, grace)) {
            capture.poll(e -> {
                if (e.ipProto() == EventRecord.PROTO_UDP && e.sport() >= FIRST_PORT && e.sport() < FIRST_PORT + frames) {
                    EventRecord copy = EventRecord.allocate();
                    e.copyTo(copy);
                    out.put(e.sport(), copy);
                }
            }, 50);
            if (out.size() >= want && grace == Long.MAX_VALUE) {
                grace = System.nanoTime() + 300_000_000L;
            }
        }
        return out;
    }

    private static byte[] mac(VethLab lab, boolean peer) throws IOException {
        String text = peer ? lab.inNamespace("cat", "/sys/class/net/" + lab.peer + "/address")
                : Files.readString(Path.of("/sys/class/net", lab.host, "address"));
        return HexFormat.ofDelimiter(":").parseHex(text.trim());
    }
}
