package dev.flat.core.match;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hash only picks buckets, so what matters is how evenly real keys spread over the low bits
 * the table uses, and that the spread depends on the seed. Keys here are as regular as traffic
 * gets: one client address counting up, ephemeral ports counting up, one server.
 */
class FlowHashTest {
    private static final long V4_MAPPED = 0xFFFF_0000_0000L;
    private static final int KEYS = 8192;
    private static final int BUCKETS = 16_384;
    /** 8 192 keys thrown at random into 16 384 buckets occupy 16 384 (1 - e^-0.5) ≈ 6 447 of them. */
    private static final int RANDOM_OCCUPANCY = 6447;

    @Test
    void sequentialPortsSpreadLikeRandomKeys() {
        FlowHash hash = FlowHash.seeded(1);
        long client = V4_MAPPED | 0x0A00_0001L;
        long server = V4_MAPPED | 0xC000_0201L;
        assertSpread(i -> hash.hash(0, client, 0, server, PendingTable.ports(32_768 + i, 443),
                PendingTable.tag(Kind.TCP, 0x1000L * i)), "ports");
    }

    @Test
    void sequentialAddressesSpreadLikeRandomKeys() {
        FlowHash hash = FlowHash.seeded(2);
        long server = V4_MAPPED | 0xC000_0201L;
        assertSpread(i -> hash.hash(0, V4_MAPPED | (0x0A00_0000L + i), 0, server, PendingTable.ports(40_000, 53),
                PendingTable.tag(Kind.DNS, 7)), "IPv4 clients");
        assertSpread(i -> hash.hash(0x2001_0DB8_0000_0000L, i, 0x2001_0DB8_0000_0001L, 0x53,
                PendingTable.ports(40_000, 53), PendingTable.tag(Kind.DNS, 7)), "IPv6 clients");
    }

    @Test
    void kindsAndDiscriminatorsSpread() {
        FlowHash hash = FlowHash.seeded(3);
        long a = V4_MAPPED | 0x0A00_0001L;
        long b = V4_MAPPED | 0xC000_0201L;
        assertSpread(i -> hash.hash(0, a, 0, b, PendingTable.ports(5353, 53), PendingTable.tag(Kind.DNS, i)), "DNS ids");
        assertSpread(i -> hash.hash(0, a, 0, b, PendingTable.ports(1, i),
                PendingTable.tag(Kind.ICMP, 1)), "ICMP sequence numbers");
    }

    @Test
    void theSeedDecidesTheBuckets() {
        long a = V4_MAPPED | 0x0A00_0001L;
        long b = V4_MAPPED | 0xC000_0201L;
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 64; seed++) {
            seen.add(FlowHash.seeded(seed).hash(0, a, 0, b, PendingTable.ports(40_000, 443), PendingTable.tag(Kind.TCP, 1)));
        }
        assertTrue(seen.size() >= 63, "64 seeds gave only " + seen.size() + " hashes of one key");
        assertNotEquals(FlowHash.seeded(1).hash(0, a, 0, b, 1, 2), FlowHash.seeded(1).hash(0, b, 0, a, 1, 2),
                "the two directions of a flow are different keys");
    }

    private interface KeyHash {
        int of(int i);
    }

    private static void assertSpread(KeyHash key, String what) {
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            buckets.add(key.of(i) & (BUCKETS - 1));
        }
        // Random keys land within ±60 of the expectation (σ ≈ 28); a hash whose low bits ignore a
        // key word collapses far below.
        assertTrue(buckets.size() >= RANDOM_OCCUPANCY - 150,
                what + ": " + KEYS + " keys in " + buckets.size() + " of " + BUCKETS + " buckets, random keys take about "
                        + RANDOM_OCCUPANCY);
    }
}
