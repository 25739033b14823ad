package dev.flat.bpf;

import jnr.ffi.Pointer;

/**
 * Reads the probe's per-CPU {@code counters} array (enum flat_counter in flat_event.h). A lookup
 * in a per-CPU map returns one 8-byte-aligned value per possible CPU (not per online CPU:
 * /sys/devices/system/cpu/possible, which libbpf_num_possible_cpus reads), summed here.
 */
final class ProbeCounters {
    static final int PACKETS = 0;
    static final int EVENTS = 1;
    static final int RING_FULL = 2;
    static final int PARSE_ERRORS = 3;
    static final int FILTERED = 4;
    static final int COUNT = 5;

    private final Native n;
    private final int mapFd;
    private final int cpus;
    private final Pointer key;
    private final Pointer values;

    ProbeCounters(Native n, int mapFd) throws LiveCaptureException {
        this.n = n;
        this.mapFd = mapFd;
        this.cpus = n.bpf.libbpf_num_possible_cpus();
        if (cpus <= 0) {
            throw LiveCaptureException.of(n, "count possible CPUs", cpus);
        }
        this.key = n.allocate(Integer.BYTES);
        this.values = n.allocate(cpus * Long.BYTES);
    }

    /** The counter summed over all CPUs. */
    synchronized long sum(int counter) throws LiveCaptureException {
        key.putInt(0, counter);
        int err = n.bpf.bpf_map_lookup_elem(mapFd, key, values);
        if (err < 0) {
            throw LiveCaptureException.of(n, "read probe counter " + counter, err);
        }
        long total = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            total += values.getLong((long) cpu * Long.BYTES);
        }
        return total;
    }
}
