package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe loaded and attached for real to a veth whose peer lives in a test namespace; ping
 * from the peer gives echo requests on ingress and replies on egress. Checks the records'
 * fields, both attach modes, and that close leaves nothing of flat's and everything of others'.
 */
class EbpfCaptureNetnsTest {
    private static final int RING_BYTES = 1 << 20;
    private static final long WAIT_NS = 5_000_000_000L;

    @BeforeEach
    void privileged() {
        Privileged.require();
    }

    @Test
    void tcxLinksDeliverIngressAndEgressEchoesAndVanishOnClose() throws Exception {
        try (VethLab lab = new VethLab()) {
            EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TCX));
            try {
                assertEquals("ebpf (tcx)", capture.description());
                int ingressId = TcxPrograms.programId(capture, true);
                int egressId = TcxPrograms.programId(capture, false);
                assertEquals(List.of(ingressId), TcxPrograms.attached(capture.ifindex(), LibBpf.BPF_TCX_INGRESS));
                assertEquals(List.of(egressId), TcxPrograms.attached(capture.ifindex(), LibBpf.BPF_TCX_EGRESS));
                lab.inNamespace("ping", "-c", "3", "-i", "0.2", "-W", "1", lab.hostV4);
                List<EventRecord> echoes = collectIcmp(capture, 6);
                assertEchoes(capture, lab, echoes, 3);
                LiveCounters c = capture.counters();
                assertTrue(c.packets() >= 6 && c.events() >= 6, c.toString());
                assertEquals(0, c.lost());
                assertEquals(0, c.badRecords());
            } finally {
                capture.close();
            }
            capture.close(); // idempotent
            assertEquals(List.of(), TcxPrograms.attached(capture.ifindex(), LibBpf.BPF_TCX_INGRESS));
            assertEquals(List.of(), TcxPrograms.attached(capture.ifindex(), LibBpf.BPF_TCX_EGRESS));
            assertTrue(capture.counters().events() >= 6, "counters survive close");
        }
    }

    @Test
    void autoModeUsesTcxOnThisKernelOrFallsBackToTc() throws Exception {
        try (VethLab lab = new VethLab(); EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.AUTO))) {
            String expected = KernelRelease.running().atLeast(6, 6) ? "ebpf (tcx)" : "ebpf (tc)";
            assertEquals(expected, capture.description());
        }
    }

    @Test
    void legacyTcCreatesClsactAndRemovesItWithItsFilters() throws Exception {
        try (VethLab lab = new VethLab()) {
            try (EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TC))) {
                assertEquals("ebpf (tc)", capture.description());
                String ingress = Shell.run("tc", "filter", "show", "dev", lab.host, "ingress");
                assertTrue(ingress.contains("flat_ingress") && ingress.contains("handle 0x666c6174"), ingress);
                lab.inNamespace("ping", "-c", "3", "-i", "0.2", "-W", "1", lab.hostV4);
                assertEchoes(capture, lab, collectIcmp(capture, 6), 3);
            }
            assertFalse(Shell.run("tc", "qdisc", "show", "dev", lab.host).contains("clsact"),
                    "flat created the clsact qdisc, so it removes it");
        }
    }

    @Test
    void legacyTcLeavesAnotherToolsQdiscAndFiltersUntouched() throws Exception {
        try (VethLab lab = new VethLab()) {
            Shell.run("tc", "qdisc", "add", "dev", lab.host, "clsact");
            // Another tool's filters (classic BPF "ret 0": never matches) hold pref 1 on both
            // directions, so flat must choose another priority and leave them alone.
            Shell.run("tc", "filter", "add", "dev", lab.host, "ingress", "pref", "1", "bpf", "bytecode", "1,6 0 0 0,");
            Shell.run("tc", "filter", "add", "dev", lab.host, "egress", "pref", "1", "bpf", "bytecode", "1,6 0 0 0,");
            try (EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TC))) {
                String ingress = Shell.run("tc", "filter", "show", "dev", lab.host, "ingress");
                assertTrue(ingress.contains("bytecode") && ingress.contains("flat_ingress"), ingress);
                lab.inNamespace("ping", "-c", "2", "-i", "0.2", "-W", "1", lab.hostV4);
                assertEchoes(capture, lab, collectIcmp(capture, 4), 2);
            }
            assertTrue(Shell.run("tc", "qdisc", "show", "dev", lab.host).contains("clsact"));
            for (String direction : new String[] {"ingress", "egress"}) {
                String filters = Shell.run("tc", "filter", "show", "dev", lab.host, direction);
                assertTrue(filters.contains("pref 1 bpf chain 0 handle 0x1 not_in_hw bytecode '1,6 0 0 0'"), filters);
                assertFalse(filters.contains("flat_") || filters.contains("0x666c6174"), filters);
            }
        }
    }

    @Test
    void legacyTcRemovesAStaleFilterOfAKilledFlatButNotAHeldOne() throws Exception {
        Privileged.requireTool("bpftool", "bpftool");
        try (VethLab lab = new VethLab()) {
            // What a SIGKILLed flat leaves: flat's program in a flat-handled filter, held by no process.
            String pins = "/sys/fs/bpf/flat-test-" + lab.host;
            if (!Files.readString(Path.of("/proc/mounts")).contains(" /sys/fs/bpf bpf ")) {
                Shell.run("mount", "-t", "bpf", "bpf", "/sys/fs/bpf");
            }
            Shell.run("tc", "qdisc", "add", "dev", lab.host, "clsact");
            Shell.run("bpftool", "prog", "loadall", probeObjectPath(), pins, "type", "classifier");
            try {
                Shell.run("tc", "filter", "add", "dev", lab.host, "ingress", "pref", "7", "handle", "0x666c6174",
                        "bpf", "da", "pinned", pins + "/flat_ingress");
            } finally {
                Shell.run("rm", "-rf", pins);
            }
            try (EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TC))) {
                String ingress = Shell.run("tc", "filter", "show", "dev", lab.host, "ingress");
                assertFalse(ingress.contains("pref 7"), "stale filter removed: " + ingress);
                // A second flat on the same interface is live, not stale: the first must survive it.
                try (EbpfCapture second = EbpfCapture.open(options(lab, AttachMode.TC))) {
                    String both = Shell.run("tc", "filter", "show", "dev", lab.host, "ingress");
                    assertEquals(2, both.split("handle 0x666c6174", -1).length - 1, both);
                }
                lab.inNamespace("ping", "-c", "1", "-W", "1", lab.hostV4);
                assertEchoes(capture, lab, collectIcmp(capture, 2), 1);
            }
        }
    }

    @Test
    void icmpv6EchoesCarryIpv6AddressesAndDirections() throws Exception {
        try (VethLab lab = new VethLab(); EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.AUTO))) {
            lab.inNamespace("ping", "-6", "-c", "2", "-i", "0.2", "-W", "1", lab.hostV6);
            byte[] host = InetAddress.getByName(lab.hostV6).getAddress();
            List<EventRecord> echoes = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT_NS;
            while (System.nanoTime() < deadline && echoes.size() < 4) {
                capture.poll(e -> {
                    if (e.ipProto() == EventRecord.PROTO_ICMPV6) {
                        EventRecord copy = EventRecord.allocate();
                        e.copyTo(copy);
                        echoes.add(copy);
                    }
                }, 100);
            }
            assertEquals(4, echoes.size(), "2 requests in, 2 replies out (neighbour discovery is not an event)");
            for (EventRecord e : echoes) {
                boolean ingress = e.direction() == Direction.INGRESS.code();
                assertEquals(6, e.ipVersion());
                assertEquals(ingress ? 128 : 129, e.icmpType());
                byte[] local = new byte[16];
                if (ingress) {
                    e.copyDaddr(local, 0);
                } else {
                    e.copySaddr(local, 0);
                }
                assertArrayEquals(host, local, "requests arrive for the host, replies leave from it");
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesAWaitingPollAndDetaches() throws Exception {
        try (VethLab lab = new VethLab()) {
            EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TCX));
            int[] polled = {-1};
            Throwable[] failure = {null};
            Thread poller = new Thread(() -> {
                try {
                    polled[0] = capture.poll(e -> { }, 30_000);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            poller.start();
            Thread.sleep(200); // let it block in epoll_wait
            long start = System.nanoTime();
            capture.close(); // what the shutdown hook does on SIGINT/SIGTERM
            poller.join(5_000);
            assertFalse(poller.isAlive(), "poll still waiting after close");
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
            assertEquals(null, failure[0]);
            assertEquals(List.of(), TcxPrograms.attached(lab.hostIfindex(), LibBpf.BPF_TCX_INGRESS));
            assertEquals(0, capture.poll(e -> { }, 10), "poll after close returns nothing");
        }
    }

    @Test
    void aSinkMayCloseTheCaptureFromInsidePoll() throws Exception {
        try (VethLab lab = new VethLab()) {
            EbpfCapture capture = EbpfCapture.open(options(lab, AttachMode.TC));
            lab.inNamespace("ping", "-c", "1", "-W", "1", lab.hostV4);
            long deadline = System.nanoTime() + WAIT_NS;
            int got = 0;
            while (got == 0 && System.nanoTime() < deadline) {
                got = capture.poll(e -> capture.close(), 100);
            }
            assertTrue(got > 0, "no event arrived");
            assertFalse(Shell.run("tc", "qdisc", "show", "dev", lab.host).contains("clsact"), "closed when poll returned");
        }
    }

    @Test
    void kindFilterIsAppliedInTheKernelAndCounted() throws Exception {
        try (VethLab lab = new VethLab();
             EbpfCapture capture = EbpfCapture.open(new LiveOptions(lab.host, Backend.EBPF, AttachMode.AUTO, RING_BYTES,
                     Set.of(dev.flat.core.match.Kind.TCP), List.of(), List.of()))) {
            lab.inNamespace("ping", "-c", "2", "-i", "0.2", "-W", "1", lab.hostV4);
            assertTrue(collectIcmp(capture, 0).isEmpty());
            LiveCounters c = capture.counters();
            assertTrue(c.filtered() >= 4, c.toString());
        }
    }

    @Test
    void loopbackSeesEachPacketOnceOnEgress() throws Exception {
        // Both attach modes: each must leave lo's ingress alone (every lo packet crosses egress
        // then ingress; watching both would report every request twice).
        for (AttachMode mode : new AttachMode[] {AttachMode.TCX, AttachMode.TC}) {
            try (EbpfCapture capture = EbpfCapture.open(new LiveOptions("lo", Backend.EBPF, mode, RING_BYTES,
                    Set.of(dev.flat.core.match.Kind.ICMP), List.of(), List.of()))) {
                Shell.run("ping", "-c", "2", "-i", "0.2", "-W", "1", "127.0.0.1");
                List<EventRecord> echoes = collectIcmp(capture, 4);
                echoes.addAll(collectIcmp(capture, 0)); // a duplicate would arrive now
                assertEquals(4, echoes.size(), mode + ": 2 requests + 2 replies, each once");
                for (EventRecord e : echoes) {
                    assertEquals(Direction.EGRESS.code(), e.direction(), mode + ": only lo's egress is watched");
                }
            }
        }
    }

    static LiveOptions options(VethLab lab, AttachMode mode) {
        return new LiveOptions(lab.host, Backend.EBPF, mode, RING_BYTES, Set.of(), List.of(), List.of());
    }

    static String probeObjectPath() {
        return System.getProperty("user.dir") + "/flat.bpf.o";
    }

    /** Copies ICMP records until {@code want} arrived or the wait ran out (then a short grace poll). */
    static List<EventRecord> collectIcmp(EbpfCapture capture, int want) throws IOException {
        List<EventRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + (want == 0 ? WAIT_NS / 5 : WAIT_NS);
        while (System.nanoTime() < deadline && (want == 0 || out.size() < want)) {
            capture.poll(e -> {
                if (e.ipProto() == EventRecord.PROTO_ICMP) {
                    EventRecord copy = EventRecord.allocate();
                    e.copyTo(copy);
                    out.add(copy);
                }
            }, 100);
        }
        return out;
    }

    /** {@code pings} requests peer→host on ingress and as many replies host→peer on egress. */
    static void assertEchoes(EbpfCapture capture, VethLab lab, List<EventRecord> echoes, int pings) throws IOException {
        byte[] host = InetAddress.getByName(lab.hostV4).getAddress();
        byte[] peer = InetAddress.getByName(lab.peerV4).getAddress();
        long now = System.currentTimeMillis() * 1_000_000L;
        int requests = 0;
        int replies = 0;
        for (EventRecord e : echoes) {
            assertEquals(EventRecord.TYPE_PACKET, e.type());
            assertEquals(EventRecord.VERSION, e.version());
            assertEquals(4, e.ipVersion());
            assertEquals(EventRecord.DIGITS_NS, e.tsDigits());
            assertEquals(capture.ifindex(), e.ifindex());
            assertEquals(64, e.ttl(), "no router in between");
            long wall = e.tsNs() + capture.clockOffsetNs();
            assertTrue(Math.abs(now - wall) < 60_000_000_000L, "monotonic + offset is wall-clock time: " + wall);
            boolean ingress = e.direction() == Direction.INGRESS.code();
            assertEquals(ingress ? 8 : 0, e.icmpType(), "requests arrive, replies leave");
            assertEquals(v4Mapped(ingress ? peer : host), e.saddrLo());
            assertEquals(v4Mapped(ingress ? host : peer), e.daddrLo());
            assertEquals(0L, e.saddrHi());
            assertTrue(e.dport() >= 1 && e.dport() <= pings, "echo sequence in dport: " + e.dport());
            if (ingress) {
                requests++;
            } else {
                assertEquals(Direction.EGRESS.code(), e.direction());
                replies++;
            }
        }
        assertEquals(pings, requests, "echo requests on ingress");
        assertEquals(pings, replies, "echo replies on egress");
    }

    private static long v4Mapped(byte[] a) {
        return 0xFFFF_0000_0000L | ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL);
    }
}
