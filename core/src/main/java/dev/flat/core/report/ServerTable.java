package dev.flat.core.report;

import dev.flat.core.match.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Server (kind, address, port) → slot number, for {@link Summary}. Open addressing with linear
 * probing over one primitive array, so that looking up a known server allocates nothing and
 * touches one cache line: a bucket is three adjacent longs, address high and low half and
 * {@code (kind ordinal << 16 | port) + 1 << 32 | slot} (0 marks an empty bucket). The table starts
 * small and doubles (load ≤ 0.5), so a capture with a few thousand servers keeps it in the
 * CPU's cache. Bounded: at most {@code limit} servers. The hash is seeded per table so that
 * crafted addresses cannot be chosen to collide in advance.
 */
final class ServerTable {
    static final int FULL = -1;
    private static final int LONGS_PER_BUCKET = 3;
    private static final int INITIAL_BUCKETS = 1024;

    private final int limit;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private long[] buckets = new long[INITIAL_BUCKETS * LONGS_PER_BUCKET];
    private int mask = INITIAL_BUCKETS - 1;
    private final List<ServerKey> keys = new ArrayList<>();

    ServerTable(int limit) {
        this.limit = limit;
    }

    /** The server's slot (0, 1, 2... in order of arrival), adding it if new; {@link #FULL} when it cannot be added. */
    int slotOf(Kind kind, long addrHi, long addrLo, int port) {
        return probe(kind, addrHi, addrLo, port, true);
    }

    /** The server's slot, or {@link #FULL} when it is not in the table (nothing is added). */
    int find(Kind kind, long addrHi, long addrLo, int port) {
        return probe(kind, addrHi, addrLo, port, false);
    }

    private int probe(Kind kind, long addrHi, long addrLo, int port, boolean add) {
        long kp = (long) ((kind.ordinal() << 16 | port) + 1) << 32;
        long[] t = buckets;
        int b = bucket(addrHi, addrLo, kp, mask);
        for (long tag; (tag = t[b * LONGS_PER_BUCKET + 2]) != 0; b = (b + 1) & mask) {
            int i = b * LONGS_PER_BUCKET;
            if ((tag & 0xFFFF_FFFF_0000_0000L) == kp && t[i] == addrHi && t[i + 1] == addrLo) {
                return (int) tag;
            }
        }
        if (!add || keys.size() >= limit) {
            return FULL;
        }
        int slot = keys.size();
        keys.add(new ServerKey(kind, addrHi, addrLo, port));
        put(t, b, addrHi, addrLo, kp | slot);
        if (2 * keys.size() > mask + 1) {
            grow();
        }
        return slot;
    }

    int size() { return keys.size(); }

    ServerKey key(int slot) { return keys.get(slot); }

    private static void put(long[] t, int b, long addrHi, long addrLo, long tag) {
        int i = b * LONGS_PER_BUCKET;
        t[i] = addrHi;
        t[i + 1] = addrLo;
        t[i + 2] = tag;
    }

    private void grow() {
        long[] old = buckets;
        int newMask = 2 * (mask + 1) - 1;
        long[] t = new long[(newMask + 1) * LONGS_PER_BUCKET];
        for (int i = 0; i < old.length; i += LONGS_PER_BUCKET) {
            long tag = old[i + 2];
            if (tag != 0) {
                int b = bucket(old[i], old[i + 1], tag & 0xFFFF_FFFF_0000_0000L, newMask);
                while (t[b * LONGS_PER_BUCKET + 2] != 0) {
                    b = (b + 1) & newMask;
                }
                put(t, b, old[i], old[i + 1], tag);
            }
        }
        buckets = t;
        mask = newMask;
    }

    private int bucket(long addrHi, long addrLo, long kp, int mask) {
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
