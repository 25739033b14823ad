package dev.flat.core.match;

import java.util.SplittableRandom;

/**
 * Hashes a pending request's key to pick its bucket. Only the bucket depends on the hash: the
 * table compares the whole key, so a weak or even constant hash costs speed, never correctness
 * (MatcherCollisionTest forces every flow into one bucket).
 */
@FunctionalInterface
interface FlowHash {
    int hash(long clientHi, long clientLo, long serverHi, long serverLo, int ports, long tag);

    /**
     * A keyed multiply-xor hash. Each key word is xored with its own secret and multiplied by its
     * own odd constant; the products are rotated apart, xored together and finished with one more
     * multiply whose high half is the result, so that every input bit reaches the bucket bits
     * (the low bits of a product depend only on the low bits of its factors). The five
     * multiplies are independent of each other: about 15 cycles of latency per key where folding
     * the words in one after another took about 50, and the hash was the matcher's largest single
     * cost (docs/performance.md, finding 13). The secrets come from the seed, chosen per matcher,
     * so that a capture crafted to pile its flows into one chain cannot know which bucket
     * anything lands in.
     */
    static FlowHash seeded(long seed) {
        SplittableRandom secrets = new SplittableRandom(seed);
        long k0 = secrets.nextLong();
        long k1 = secrets.nextLong();
        long k2 = secrets.nextLong();
        long k3 = secrets.nextLong();
        long k4 = secrets.nextLong();
        return (clientHi, clientLo, serverHi, serverLo, ports, tag) -> {
            // Distinct rotations keep equal products of different words (a flow and its reverse)
            // from cancelling; the final fold brings the high halves down before the last multiply.
            long h = (clientLo ^ k0) * 0x9E37_79B9_7F4A_7C15L
                    ^ Long.rotateLeft((serverLo ^ k1) * 0xC2B2_AE3D_27D4_EB4FL, 32)
                    ^ Long.rotateLeft((clientHi ^ k2) * 0x1656_67B1_9E37_79F9L, 21)
                    ^ Long.rotateLeft((serverHi ^ k3) * 0x85EB_CA77_C2B2_AE63L, 43)
                    ^ Long.rotateLeft(((((long) ports) << 32 ^ tag ^ tag >>> 32) ^ k4) * 0xFF51_AFD7_ED55_8CCDL, 11);
            h = (h ^ h >>> 32) * 0xC4CE_B9FE_1A85_EC53L;
            return (int) (h >>> 32);
        };
    }
}
