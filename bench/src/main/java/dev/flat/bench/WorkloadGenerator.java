package dev.flat.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Synthesizes a large, realistic, deterministic capture: many interleaved conversations (TCP
 * connections with handshake, data both ways and teardown, some SYN resends, refusals and aborts;
 * DNS lookups incl. parallel A/AAAA, lost and resent queries; UDP request/reply; ping over IPv4
 * and IPv6) seen from the clients' side of a gateway.
 *
 * <p>A fixed number of conversation slots run at once; each slot's next packet time sits in a
 * binary min-heap, and the generator always writes the earliest, so timestamps never go back.
 * When a conversation ends its slot starts the next one. Frames are built into one reused array
 * and streamed: memory use does not grow with the packet count. The same seed gives the same
 * bytes.
 *
 * <pre>
 * java -cp benchmarks.jar dev.flat.bench.WorkloadGenerator --packets 10000000 --out /tmp/w.pcap [--seed 1]
 *     [--format pcap|pcapng] [--snaplen 262144] [--concurrency 2048]
 * </pre>
 */
public final class WorkloadGenerator {
    /** 2024-05-01T12:00:00Z, the first conversation's start. */
    public static final long START_NS = 1_714_564_800_000_000_000L;
    public static final int DEFAULT_CONCURRENCY = 2048;
    public static final int DEFAULT_SNAP_LENGTH = 262_144;

    private final SplittableRandom rng;
    private final Conversation[] slots;
    private final long[] nextNs;
    /** Min-heap of slot numbers ordered by (nextNs, slot). */
    private final int[] heap;
    private final FrameBuilder frames;
    private final StepFrames steps;
    private long conversations;

    public WorkloadGenerator(long seed, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        this.rng = new SplittableRandom(seed);
        this.slots = new Conversation[concurrency];
        this.nextNs = new long[concurrency];
        this.heap = new int[concurrency];
        this.frames = new FrameBuilder(new HostTable());
        this.steps = new StepFrames(frames, seed);
    }

    public WorkloadGenerator(long seed) {
        this(seed, DEFAULT_CONCURRENCY);
    }

    /** Writes exactly {@code packets} frames; returns what they contain. */
    public ExpectedCounts generate(long packets, CaptureWriter out) throws IOException {
        ExpectedCounts counts = new ExpectedCounts();
        for (int s = 0; s < slots.length; s++) {
            slots[s] = new Conversation();
            // Stagger the starts over the first 100 ms so the capture does not open with a burst.
            startNext(s, START_NS + rng.nextLong(100_000_000L));
            heap[s] = s;
        }
        for (int i = slots.length / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
        for (long written = 0; written < packets; written++) {
            int s = heap[0];
            Conversation c = slots[s];
            long ts = nextNs[s];
            int step = c.next++;
            int length = steps.build(c, step, ts);
            out.write(ts, frames.array(), length, StepFrames.fromClient(c.op[step]));
            counts.count(c, step, length);
            if (c.done()) {
                // A client pauses between conversations; exponential gap, mean 20 ms.
                startNext(s, ts + (long) (-Math.log(1 - rng.nextDouble()) * 20_000_000L));
            } else {
                nextNs[s] = ts + c.delayNs[c.next];
            }
            siftDown(0);
        }
        return counts;
    }

    private void startNext(int slot, long startNs) {
        Conversation c = slots[slot];
        c.plan(conversations++, rng);
        nextNs[slot] = startNs + c.delayNs[0];
    }

    private void siftDown(int i) {
        int n = heap.length;
        int x = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && earlier(heap[child + 1], heap[child])) {
                child++;
            }
            if (!earlier(heap[child], x)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }

    private boolean earlier(int a, int b) {
        return nextNs[a] < nextNs[b] || (nextNs[a] == nextNs[b] && a < b);
    }

    /** Opens the writer for the format ("pcap" or "pcapng") over a stream. */
    public static CaptureWriter writer(String format, OutputStream out, int snapLength) throws IOException {
        return switch (format) {
            case "pcap" -> new PcapWriter(out, snapLength);
            case "pcapng" -> new PcapngWriter(out, snapLength);
            default -> throw new IllegalArgumentException("unknown format '" + format + "' (expected pcap or pcapng)");
        };
    }

    public static void main(String[] args) throws IOException {
        long packets = 1_000_000;
        long seed = 1;
        Path outFile = null;
        String format = "pcap";
        int snapLength = DEFAULT_SNAP_LENGTH;
        int concurrency = DEFAULT_CONCURRENCY;
        PrintStream err = System.err;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    err.println("usage: WorkloadGenerator --out FILE [--packets N] [--seed S] [--format pcap|pcapng]"
                            + " [--snaplen N] [--concurrency N]");
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--packets" -> packets = Long.parseLong(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--out" -> outFile = Path.of(v);
                    case "--format" -> format = v;
                    case "--snaplen" -> snapLength = Integer.parseInt(v);
                    case "--concurrency" -> concurrency = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (outFile == null) {
                throw new IllegalArgumentException("--out FILE is required");
            }
            if (packets < 0 || snapLength < 1) {
                throw new IllegalArgumentException("--packets must be >= 0 and --snaplen >= 1");
            }
        } catch (IllegalArgumentException e) {
            err.println("WorkloadGenerator: " + e.getMessage());
            System.exit(2);
            return;
        }
        long t0 = System.nanoTime();
        ExpectedCounts counts;
        try (CaptureWriter w = writer(format, Files.newOutputStream(outFile), snapLength)) {
            counts = new WorkloadGenerator(seed, concurrency).generate(packets, w);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        err.printf("wrote %s: %d packets, %d bytes in %.1f s%n", outFile, counts.packets(), Files.size(outFile), seconds);
        err.println(counts);
    }
}
