package dev.flat.bpf;

import dev.flat.core.event.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;

/**
 * What the live probe costs, measured on a real veth (not a unit test; run as root by
 * {@code bench/probe-cost.sh}, which also runs {@link RingDrainBenchmark}):
 *
 * <ol>
 *   <li>Calibration: an empty tc program and flat_ingress on a TCP ACK and a UDP frame through
 *       BPF_PROG_TEST_RUN, run-time stats off then on: what the stats add to each run.</li>
 *   <li>Kernel time per packet from the kernel's BPF run-time stats ({@link BpfRunStats}) of
 *       flat_ingress and flat_egress attached with {@link EbpfCapture} to the host end of a
 *       {@link VethLab}, for three floods: small UDP datagrams in (socat in the namespace) and out
 *       (this JVM) — relevant, every one becomes a record — and TCP data segments in (socat,
 *       TCP_NODELAY, 64-byte writes) with the ACKs this JVM's receiver sends back — irrelevant,
 *       parsed and dropped. A consumer thread drains the ring meanwhile, as flat does.</li>
 *   <li>Ring losses: a UDP flood into a 64 KiB ring whose consumer is paused, into the same ring
 *       with the consumer running, and into the default ring. Each row checks that every
 *       datagram sent is either a record drained or a RING_FULL count: losses are counted, never
 *       silent.</li>
 * </ol>
 *
 * Sizes: system properties {@code flat.bench.packets} (per cost flood, default 200000) and
 * {@code flat.bench.lossPackets} (per loss flood, default 20000). Every flood is bounded in
 * count, and each sender process in time ({@link Shell}'s timeout).
 */
public final class ProbeCostBenchmark {
    private static final int UDP_PORT = 9000;
    private static final int TCP_PORT = 9001;
    /** Small datagrams: the probe's cost does not depend on payload size, the sender's does. */
    private static final int UDP_PAYLOAD = 32;
    private static final int TCP_WRITE = 64;
    private static final int SMALL_RING = 64 << 10;
    private static final int POLL_MS = 20;
    /** Lets the last packets of a flood clear the veth backlog before the counters are sampled. */
    private static final long SETTLE_MS = 200;

    private final VethLab lab;

    private ProbeCostBenchmark(VethLab lab) {
        this.lab = lab;
    }

    public static void main(String[] args) throws Exception {
        int packets = Integer.getInteger("flat.bench.packets", 200_000);
        int lossPackets = Integer.getInteger("flat.bench.lossPackets", 20_000);
        VethLab lab = new VethLab();
        Thread cleanup = new Thread(() -> closeQuietly(lab), "probe-cost-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // SIGINT/SIGTERM: the namespace goes too
        try {
            ProbeCostBenchmark bench = new ProbeCostBenchmark(lab);
            // Stray UDP to the namespace would answer with ICMP port unreachable: drop it there.
            lab.inNamespace("nft", "add table ip flatcost { chain pre { type filter hook prerouting priority -300; udp dport "
                    + UDP_PORT + " drop; }; }");
            System.out.printf("veth %s (probe) <-> %s in netns %s; %d packets per cost flood, %d per loss flood%n",
                    lab.host, lab.peer, lab.namespace, packets, lossPackets);
            calibrate();
            try (BpfRunStats stats = BpfRunStats.enable()) {
                bench.kernelCost(stats, packets);
                bench.ringLosses(stats, lossPackets);
            }
        } finally {
            closeQuietly(lab);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // SIGINT/SIGTERM: the hook is running or has run; the lab is closed either way.
            }
        }
    }

    // ---------------------------------------------------------------- calibration

    /**
     * The same program on the same kind of packet through BPF_PROG_TEST_RUN, whose kernel loop
     * times itself: with the run-time stats off, then on (their own figure beside it). Tells
     * what the stats add to every run, and separates the live path's costs from the program's.
     */
    private static void calibrate() throws Exception {
        int repeat = 1_000_000;
        System.out.printf("%n== calibration: BPF_PROG_TEST_RUN, %d runs, test-run ns/run (stats off | on) and stats ns/run%n", repeat);
        System.out.println("| program, frame | test run, stats off | test run, stats on | run-time stats |");
        System.out.println("| --- | ---: | ---: | ---: |");
        FlatConfig config = FlatConfig.allocate().kinds(FlatConfig.KIND_TCP | FlatConfig.KIND_UDP | FlatConfig.KIND_ICMP);
        Native n = Native.get();
        int emptyFd = BpfRunStats.loadEmptyTcProgram();
        try (ProbeRunner runner = new ProbeRunner(config, LiveOptions.DEFAULT_RING_BYTES)) {
            byte[] ack = tcpAckFrame();
            calibrateFrame("empty program (returns at once)", emptyFd, repeat,
                    batch -> testRunNs(n, emptyFd, ack, batch));
            int probeFd = runner.probe.programFd(true);
            calibrateFrame("flat_ingress, TCP ACK (irrelevant)", probeFd, repeat, batch -> probeRunNs(runner, ack, batch));
            // Drained between batches so every record is reserved and submitted, not RING_FULL.
            byte[] udp = udpFrame();
            calibrateFrame("flat_ingress, UDP 32-byte payload (relevant, ring drained between batches)", probeFd, repeat,
                    batch -> probeRunNs(runner, udp, batch));
        } finally {
            n.libc.close(emptyFd);
        }
    }

    /** Runs a batch of {@code repeat} test runs and returns the kernel's mean ns per run. */
    @FunctionalInterface
    private interface TimedBatch {
        int meanNs(int repeat) throws Exception;
    }

    private static void calibrateFrame(String name, int programFd, int repeat, TimedBatch batch) throws Exception {
        long off = timedRuns(batch, repeat);
        long on;
        BpfRunStats.Sample stats;
        try (BpfRunStats s = BpfRunStats.enable()) {
            BpfRunStats.Sample before = s.sample(programFd);
            on = timedRuns(batch, repeat);
            stats = s.sample(programFd).minus(before);
        }
        System.out.printf("| %s | %.1f | %.1f | %.1f |%n", name, off / (double) repeat, on / (double) repeat, stats.nsPerRun());
    }

    /** Total kernel-timed ns of {@code repeat} runs, in batches that fit the 8 MiB ring. */
    private static long timedRuns(TimedBatch batch, int repeat) throws Exception {
        int size = 50_000; // 50 000 × 88-byte records fit the 8 MiB ring
        long totalNs = 0;
        for (int done = 0; done < repeat; done += size) {
            totalNs += (long) batch.meanNs(size) * size;
        }
        return totalNs;
    }

    private static int probeRunNs(ProbeRunner runner, byte[] frame, int repeat) throws Exception {
        int errno = runner.run(frame, 0, frame.length, repeat);
        if (errno != 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN: errno " + errno);
        }
        while (runner.drain(e -> { }) > 0) {
            // empty the ring for the next batch
        }
        return runner.lastDurationNs();
    }

    /** BPF_PROG_TEST_RUN of any tc program, laid out as {@link ProbeRunner} does it. */
    private static int testRunNs(Native n, int programFd, byte[] frame, int repeat) {
        Pointer data = n.allocate(frame.length);
        data.put(0, frame, 0, frame.length);
        Pointer opts = n.allocate(ProbeRunner.OPTS_SIZE);
        opts.putLong(0, ProbeRunner.OPTS_SIZE);
        opts.putAddress(ProbeRunner.DATA_IN, data.address());
        opts.putInt(ProbeRunner.DATA_SIZE_IN, frame.length);
        opts.putInt(ProbeRunner.REPEAT, repeat);
        int err = n.bpf.bpf_prog_test_run_opts(programFd, opts);
        if (err < 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN of the empty program: errno " + -err);
        }
        return opts.getInt(ProbeRunner.DURATION);
    }

    /** Ethernet + IPv4 10.0.0.2 → 10.0.0.1 + TCP 40000 → 9001 ACK, no payload. */
    private static byte[] tcpAckFrame() {
        byte[] f = ipv4Frame(6, 20);
        int tcp = 14 + 20;
        f[tcp] = (byte) (40000 >> 8);
        f[tcp + 1] = (byte) 40000;
        f[tcp + 2] = (byte) (TCP_PORT >> 8);
        f[tcp + 3] = (byte) TCP_PORT;
        f[tcp + 12] = 5 << 4; // data offset: 20 bytes
        f[tcp + 13] = 0x10; // ACK
        return f;
    }

    /** Ethernet + IPv4 + UDP 40000 → 9000 with a 32-byte payload. */
    private static byte[] udpFrame() {
        byte[] f = ipv4Frame(17, 8 + UDP_PAYLOAD);
        int udp = 14 + 20;
        f[udp] = (byte) (40000 >> 8);
        f[udp + 1] = (byte) 40000;
        f[udp + 2] = (byte) (UDP_PORT >> 8);
        f[udp + 3] = (byte) UDP_PORT;
        f[udp + 5] = 8 + UDP_PAYLOAD;
        return f;
    }

    private static byte[] ipv4Frame(int protocol, int l4Length) {
        byte[] f = new byte[14 + 20 + l4Length];
        f[12] = 0x08; // EtherType IPv4
        int ip = 14;
        f[ip] = 0x45;
        f[ip + 2] = (byte) ((20 + l4Length) >> 8);
        f[ip + 3] = (byte) (20 + l4Length);
        f[ip + 8] = 64;
        f[ip + 9] = (byte) protocol;
        f[ip + 12] = 10;
        f[ip + 15] = 2;
        f[ip + 16] = 10;
        f[ip + 19] = 1;
        return f;
    }

    // ---------------------------------------------------------------- kernel ns per packet

    private void kernelCost(BpfRunStats stats, int packets) throws Exception {
        try (EbpfCapture capture = EbpfCapture.open(options(LiveOptions.DEFAULT_RING_BYTES));
             Drainer drainer = Drainer.start(capture)) {
            System.out.printf("%n== kernel time per packet (BPF run-time stats, %s, ring %d KiB, consumer running)%n",
                    capture.description(), LiveOptions.DEFAULT_RING_BYTES >> 10);
            System.out.println("| flood | flat_ingress runs | ns/run | flat_egress runs | ns/run | events |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            measure(stats, capture, "UDP in, 32-byte datagrams (relevant)", () -> udpIn(packets));
            measure(stats, capture, "UDP out, 32-byte datagrams (relevant)", () -> udpOut(packets));
            measure(stats, capture, "TCP in, 64-byte segments; ACKs out (irrelevant)", () -> tcpIn(packets));
            drainer.stop();
            LiveCounters c = capture.counters();
            System.out.printf("counters: %s; drained %d%n", c, drainer.drained());
        }
    }

    private void measure(BpfRunStats stats, EbpfCapture capture, String flood, Traffic traffic) throws Exception {
        int ingressFd = capture.probe().programFd(true);
        int egressFd = capture.probe().programFd(false);
        BpfRunStats.Sample in0 = stats.sample(ingressFd);
        BpfRunStats.Sample out0 = stats.sample(egressFd);
        long events0 = capture.counters().events();
        traffic.run();
        Thread.sleep(SETTLE_MS);
        BpfRunStats.Sample in = stats.sample(ingressFd).minus(in0);
        BpfRunStats.Sample out = stats.sample(egressFd).minus(out0);
        long events = capture.counters().events() - events0;
        System.out.printf("| %s | %d | %.1f | %d | %.1f | %d |%n", flood,
                in.runCount(), in.nsPerRun(), out.runCount(), out.nsPerRun(), events);
    }

    // ---------------------------------------------------------------- losses

    private void ringLosses(BpfRunStats stats, int packets) throws Exception {
        System.out.printf("%n== ring losses under a UDP flood of %d datagrams in%n", packets);
        System.out.println("| ring | consumer | packets seen | events | lost (RING_FULL) | drained | sent − events − lost | flat_ingress ns/run |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        lossRow(stats, SMALL_RING, false, packets);
        lossRow(stats, SMALL_RING, true, packets);
        lossRow(stats, LiveOptions.DEFAULT_RING_BYTES, true, packets);
    }

    private void lossRow(BpfRunStats stats, int ringBytes, boolean consumerRunning, int packets) throws Exception {
        try (EbpfCapture capture = EbpfCapture.open(options(ringBytes))) {
            int ingressFd = capture.probe().programFd(true);
            BpfRunStats.Sample before = stats.sample(ingressFd);
            long drained;
            if (consumerRunning) {
                try (Drainer drainer = Drainer.start(capture)) {
                    udpIn(packets);
                    Thread.sleep(SETTLE_MS);
                    drainer.stop();
                    drained = drainer.drained();
                }
            } else {
                udpIn(packets);
                Thread.sleep(SETTLE_MS);
                drained = drainAll(capture);
            }
            BpfRunStats.Sample run = stats.sample(ingressFd).minus(before);
            LiveCounters c = capture.counters();
            // Only the flood's datagrams are relevant on this veth (ARP and neighbour discovery are
            // not), so each one is a record or a RING_FULL count; anything else would be silent.
            long unaccounted = packets - c.events() - c.lost();
            System.out.printf("| %d KiB | %s | %d | %d | %d | %d | %d | %.1f |%n", ringBytes >> 10,
                    consumerRunning ? "running" : "paused until the flood ended", c.packets(), c.events(), c.lost(),
                    drained, unaccounted, run.nsPerRun());
            if (drained != c.events() || unaccounted != 0 || c.badRecords() != 0) {
                throw new IllegalStateException("events unaccounted for: " + c + ", drained " + drained + ", sent " + packets);
            }
        }
    }

    private static long drainAll(EbpfCapture capture) throws IOException {
        long total = 0;
        int n;
        while ((n = capture.poll(e -> { }, 0)) > 0) {
            total += n;
        }
        return total;
    }

    // ---------------------------------------------------------------- traffic

    @FunctionalInterface
    private interface Traffic {
        void run() throws Exception;
    }

    /** socat in the namespace sends {@code packets} datagrams to a socket here that is never read. */
    private void udpIn(int packets) throws IOException {
        try (DatagramChannel sink = DatagramChannel.open()) {
            // Bound, so no ICMP port unreachable goes back; unread, so the kernel drops the
            // datagrams once the receive buffer is full (after the probe has seen them).
            sink.bind(new InetSocketAddress(lab.hostV4, UDP_PORT));
            lab.inNamespace("socat", "-u", "-b", Integer.toString(UDP_PAYLOAD),
                    "OPEN:/dev/zero,readbytes=" + (long) packets * UDP_PAYLOAD,
                    "UDP4-SENDTO:" + lab.hostV4 + ":" + UDP_PORT);
        }
    }

    /** This JVM sends {@code packets} datagrams into the namespace, where nftables drops them. */
    private void udpOut(int packets) throws IOException {
        try (DatagramChannel out = DatagramChannel.open()) {
            out.connect(new InetSocketAddress(lab.peerV4, UDP_PORT));
            ByteBuffer payload = ByteBuffer.allocateDirect(UDP_PAYLOAD);
            for (int i = 0; i < packets; i++) {
                payload.clear();
                out.write(payload);
            }
        }
    }

    /**
     * socat in the namespace writes {@code packets} × 64 bytes with TCP_NODELAY to a receiver
     * here: data segments come in, this side's ACKs go out.
     */
    private void tcpIn(int packets) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(lab.hostV4, TCP_PORT));
            AtomicLong received = new AtomicLong();
            Thread reader = new Thread(() -> {
                try (SocketChannel conn = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(64 << 10);
                    int n;
                    while ((n = conn.read(buf.clear())) >= 0) {
                        received.addAndGet(n);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "tcp-sink");
            reader.start();
            lab.inNamespace("socat", "-u", "-b", Integer.toString(TCP_WRITE),
                    "OPEN:/dev/zero,readbytes=" + (long) packets * TCP_WRITE,
                    "TCP4:" + lab.hostV4 + ":" + TCP_PORT + ",nodelay");
            reader.join(10_000);
            if (received.get() != (long) packets * TCP_WRITE) {
                throw new IllegalStateException("TCP sink received " + received.get() + " bytes of " + (long) packets * TCP_WRITE);
            }
        }
    }

    // ---------------------------------------------------------------- consumer

    /** Drains the ring on its own thread, as flat's live command does. */
    private static final class Drainer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong drained = new AtomicLong();
        private final Thread thread;
        private volatile IOException failure;

        private Drainer(EbpfCapture capture) {
            EventSink discard = e -> { };
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        drained.addAndGet(capture.poll(discard, POLL_MS));
                    }
                    drained.addAndGet(drainAll(capture));
                } catch (IOException e) {
                    failure = e;
                }
            }, "ring-drainer");
        }

        static Drainer start(EbpfCapture capture) {
            Drainer d = new Drainer(capture);
            d.thread.start();
            return d;
        }

        void stop() throws IOException, InterruptedException {
            running.set(false);
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }

        long drained() {
            return drained.get();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stop();
        }
    }

    private LiveOptions options(int ringBytes) {
        return new LiveOptions(lab.host, Backend.EBPF, AttachMode.AUTO, ringBytes, Set.of(), List.of(), List.of());
    }

    private static void closeQuietly(VethLab lab) {
        try {
            lab.close();
        } catch (IOException e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }
}
