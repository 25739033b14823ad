package dev.flat.core.report;

import dev.flat.core.match.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Server (kind, address, port) → slot number, for {@link Summary}. Open addressing with linear
 * probing over primitive arrays, so that looking up a known server allocates nothing. Bounded:
 * at most {@code limit} servers, in a table twice that size (load ≤ 0.5). The hash is seeded per
 * table so that crafted addresses cannot be chosen to collide in advance.
 */
final class ServerTable {
    static final int FULL = -1;

    private final int limit;
    private final int mask;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final long[] hi;
    private final long[] lo;
    /** kind ordinal << 16 | port, plus one, so that 0 marks an empty bucket. */
    private final int[] kindPort;
    private final int[] slot;
    private final List<ServerKey> keys = new ArrayList<>();

    ServerTable(int limit) {
        this.limit = limit;
        int buckets = Integer.highestOneBit(Math.max(2, limit) * 2 - 1) << 1;
        this.mask = buckets - 1;
        this.hi = new long[buckets];
        this.lo = new long[buckets];
        this.kindPort = new int[buckets];
        this.slot = new int[buckets];
    }

    /** The server's slot (0, 1, 2... in order of arrival), adding it if new; {@link #FULL} when it cannot be added. */
    int slotOf(Kind kind, long addrHi, long addrLo, int port) {
        int kp = (kind.ordinal() << 16 | port) + 1;
        int b = bucket(addrHi, addrLo, kp);
        while (kindPort[b] != 0) {
            if (kindPort[b] == kp && hi[b] == addrHi && lo[b] == addrLo) {
                return slot[b];
            }
            b = (b + 1) & mask;
        }
        if (keys.size() >= limit) {
            return FULL;
        }
        kindPort[b] = kp;
        hi[b] = addrHi;
        lo[b] = addrLo;
        slot[b] = keys.size();
        keys.add(new ServerKey(kind, addrHi, addrLo, port));
        return slot[b];
    }

    int size() { return keys.size(); }

    ServerKey key(int slot) { return keys.get(slot); }

    private int bucket(long addrHi, long addrLo, int kp) {
        long h = seed ^ addrHi;
        h = mix(h) ^ addrLo;
        h = mix(h) ^ kp;
        return (int) mix(h) & mask;
    }

    /** The 64-bit finaliser of MurmurHash3 (fmix64): every input bit affects every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
