package dev.flat.core.match;

/**
 * Hashes a pending request's key to pick its bucket. Only the bucket depends on the hash: the
 * table compares the whole key, so a weak or even constant hash costs speed, never correctness
 * (MatcherCollisionTest forces every flow into one bucket).
 */
@FunctionalInterface
interface FlowHash {
    int hash(long clientHi, long clientLo, long serverHi, long serverLo, int ports, long tag);

    /**
     * A keyed hash: each word is folded in through an odd multiply and a shift, finished with
     * MurmurHash3's fmix64. The seed is chosen per matcher so that a capture crafted to pile its
     * flows into one chain cannot know which bucket anything lands in.
     */
    static FlowHash seeded(long seed) {
        return (clientHi, clientLo, serverHi, serverLo, ports, tag) -> {
            long h = seed;
            h = fold(h, clientHi);
            h = fold(h, clientLo);
            h = fold(h, serverHi);
            h = fold(h, serverLo);
            h = fold(h, ((long) ports << 32) ^ tag);
            h = fold(h, tag >>> 32);
            return (int) fmix64(h);
        };
    }

    private static long fold(long h, long word) {
        h = (h ^ word) * 0x9E37_79B9_7F4A_7C15L; // 2^64 / golden ratio, odd
        return h ^ (h >>> 29);
    }

    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }
}
