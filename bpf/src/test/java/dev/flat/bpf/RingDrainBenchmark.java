package dev.flat.bpf;

import dev.flat.core.event.EventSink;

/**
 * How fast user space drains the probe's ring (not a unit test; run by hand as root):
 *
 * <pre>
 * mvn -q -o -pl bpf -am test-compile
 * java -cp bpf/target/test-classes:bpf/target/classes:core/target/classes:replay/target/classes:JNR \
 *     dev.flat.bpf.RingDrainBenchmark
 * </pre>
 *
 * where JNR is the jnr-ffi 2.2.19 jar and its dependencies (jffi, jffi native, asm, jnr-*asm) from
 * the local Maven repository.
 *
 * The probe runs through BPF_PROG_TEST_RUN with repeat=N on a 64-byte DNS-like UDP frame, so each
 * run puts N records in the ring. Two figures: (1) drain only: the ring is filled, then drained,
 * timed; (2) concurrent: one thread keeps running the probe while this one polls, reporting the
 * drain rate and the RING_FULL count (events the drainer could not keep up with).
 */
public final class RingDrainBenchmark {
    private static final int RING_BYTES = 8 << 20;
    private static final int RECORD_BYTES = 88;
    private static final int ROUNDS = 20;

    private RingDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        byte[] frame = udpFrame();
        FlatConfig config = FlatConfig.allocate().kinds(FlatConfig.KIND_TCP | FlatConfig.KIND_UDP | FlatConfig.KIND_ICMP);
        long[] sink = {0};
        EventSink counting = e -> sink[0] += e.payloadLen();
        try (ProbeRunner runner = new ProbeRunner(config, RING_BYTES)) {
            int fill = RING_BYTES / RECORD_BYTES - 16;
            long drained = 0;
            long nanos = 0;
            for (int round = 0; round < ROUNDS; round++) {
                check(runner.run(frame, 0, frame.length, fill));
                long start = System.nanoTime();
                int n;
                while ((n = runner.drain(counting)) > 0) {
                    drained += n;
                }
                nanos += System.nanoTime() - start;
            }
            System.out.printf("drain only: %d events in %.1f ms = %.1f M events/s%n", drained, nanos / 1e6, drained * 1e3 / nanos);

            long lostBefore = runner.counter(ProbeCounters.RING_FULL);
            long produced = 0;
            long concurrentDrained = 0;
            int batches = 40;
            int batch = 200_000;
            Thread producer = new Thread(() -> {
                for (int i = 0; i < batches; i++) {
                    check(runner.run(frame, 0, frame.length, batch));
                }
            }, "probe-runner");
            long start = System.nanoTime();
            producer.start();
            while (producer.isAlive()) {
                concurrentDrained += runner.ring.poll(counting, 10);
            }
            int n;
            while ((n = runner.drain(counting)) > 0) {
                concurrentDrained += n;
            }
            long elapsed = System.nanoTime() - start;
            produced = (long) batches * batch;
            long lost = runner.counter(ProbeCounters.RING_FULL) - lostBefore;
            System.out.printf("concurrent: %d produced, %d drained, %d lost (ring full) in %.1f ms = %.1f M events/s drained%n",
                    produced, concurrentDrained, lost, elapsed / 1e6, concurrentDrained * 1e3 / elapsed);
        }
        System.out.println("(checksum " + sink[0] + ")");
    }

    private static void check(int errno) {
        if (errno != 0) {
            throw new IllegalStateException("BPF_PROG_TEST_RUN failed: errno " + errno);
        }
    }

    /** Ethernet + IPv4 + UDP 40000 → 53 with a 22-byte payload (a DNS query header and a bit). */
    private static byte[] udpFrame() {
        byte[] f = new byte[14 + 20 + 8 + 22];
        f[12] = 0x08;
        int ip = 14;
        f[ip] = 0x45;
        int total = 20 + 8 + 22;
        f[ip + 2] = (byte) (total >> 8);
        f[ip + 3] = (byte) total;
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        f[ip + 12] = 10;
        f[ip + 15] = 1;
        f[ip + 16] = 10;
        f[ip + 19] = 2;
        int udp = ip + 20;
        f[udp] = (byte) (40000 >> 8);
        f[udp + 1] = (byte) 40000;
        f[udp + 3] = 53;
        f[udp + 5] = 8 + 22;
        f[udp + 8] = 0x12;
        f[udp + 9] = 0x34;
        f[udp + 10] = 0x01;
        return f;
    }
}
