package dev.flat.core.match;

/**
 * The pending requests: a fixed pool of entries, a chained hash index over them and an intrusive
 * list in the order they were last (re)inserted. Nothing here allocates after construction.
 *
 * <p>An entry is two records in two primitive arrays: eight longs (the stored hash and the
 * ports, the tag, both addresses, the measured request's time and the age-order time) and eight
 * ints (hash chain, age links, ifindex, packet info, retransmits). A lookup reads its
 * candidate's whole key from one 64-byte record, one or two cache lines, where one array per
 * field cost a line per field: the table's arrays do not stay in the core's cache while the
 * capture streams through it, and the lookup was the largest item of read → parse → match
 * (docs/performance.md, finding 13).
 *
 * <p>An entry's key is the full flow tuple: client address, server address (each as two
 * big-endian longs), both ports packed as {@code clientPort << 16 | serverPort} and a tag that
 * holds the kind and a per-kind discriminator (see {@link #tag}). Lookups compare every part of
 * it; the hash only chooses a bucket.
 *
 * <p>The list runs from the oldest entry to the newest by the clock value given at insertion or
 * at the last {@link #touch}. The matcher passes a clock that never goes backwards, so the list
 * is sorted and both expiry and eviction take entries from its old end in O(1).
 *
 * <p>Chains are singly linked through {@code CHAIN_NEXT}; with at least two buckets per entry
 * they average under one entry, so removal walks its chain to find the predecessor rather than
 * paying for a second link array. The bucket array starts at {@value #INITIAL_BUCKETS} and doubles
 * whenever the entries would exceed half of it, up to four buckets per entry of the capacity: it
 * follows the requests actually pending (a few thousand on a busy link) rather than the bound, so
 * that the random access every lookup makes into it stays in the core's cache. Sized for the
 * bound (65 536 entries by default), it was a 1 MiB array and a cache miss on most lookups.
 */
final class PendingTable {
    static final int NONE = -1;
    static final int INITIAL_BUCKETS = 1024;

    // Layout of an entry's eight longs in {@code words}.
    private static final int LONGS = 8;
    /** The stored 32-bit hash in the high half, {@code clientPort << 16 | serverPort} in the low. */
    private static final int HASH_PORTS = 0;
    private static final int TAG = 1;
    private static final int CLIENT_HI = 2;
    private static final int CLIENT_LO = 3;
    private static final int SERVER_HI = 4;
    private static final int SERVER_LO = 5;
    /** The measured (latest) copy of the request. */
    private static final int REQUEST_TS = 6;
    /** The clock when inserted or last touched: the age order. */
    private static final int ENQUEUED_AT = 7;

    // Layout of an entry's eight ints in {@code links}.
    private static final int INTS = 8;
    private static final int CHAIN_NEXT = 0;
    private static final int OLDER = 1;
    /** Also the free list's link. */
    private static final int NEWER = 2;
    /** u32 ifindex, stored as its bits. */
    private static final int IFINDEX = 3;
    /** Direction code in the low byte, timestamp digits in the next. */
    private static final int PACKET_INFO = 4;
    private static final int RETRANSMITS = 5;

    private final int capacity;
    private final FlowHash flowHash;
    private final long[] words;
    private final int[] links;

    // Hash index.
    private int[] buckets;
    private int bucketMask;
    private final int maxBuckets;

    private int oldest = NONE;
    private int newest = NONE;
    private int freeHead;
    private int size;

    PendingTable(int capacity, FlowHash flowHash) {
        if (capacity < 1 || capacity > MatcherConfig.MAX_MAX_PENDING) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.flowHash = flowHash;
        words = new long[capacity * LONGS];
        links = new int[capacity * INTS];
        maxBuckets = Integer.highestOneBit(capacity) << 2; // a power of two, 2..4 per entry of the capacity
        buckets = emptyBuckets(Math.min(INITIAL_BUCKETS, maxBuckets));
        bucketMask = buckets.length - 1;
        for (int i = 0; i < capacity; i++) {
            links[i * INTS + NEWER] = i + 1 < capacity ? i + 1 : NONE;
        }
        freeHead = 0;
    }

    /** The key's kind and discriminator (TCP sequence, DNS id, ICMP protocol, 0 for UDP) as one long. */
    static long tag(Kind kind, long discriminator) {
        return ((long) kind.ordinal() << 32) | (discriminator & 0xFFFF_FFFFL);
    }

    static int ports(int clientPort, int serverPort) {
        return clientPort << 16 | serverPort;
    }

    int hash(long cHi, long cLo, long sHi, long sLo, int packedPorts, long keyTag) {
        return flowHash.hash(cHi, cLo, sHi, sLo, packedPorts, keyTag);
    }

    private static long hashPorts(int hash, int packedPorts) {
        return (long) hash << 32 | (packedPorts & 0xFFFF_FFFFL);
    }

    /** The entry with exactly this key, or {@link #NONE}. */
    int find(int hash, long cHi, long cLo, long sHi, long sLo, int packedPorts, long keyTag) {
        long hashAndPorts = hashPorts(hash, packedPorts);
        for (int e = buckets[hash & bucketMask]; e != NONE; e = links[e * INTS + CHAIN_NEXT]) {
            int w = e * LONGS;
            if (words[w + HASH_PORTS] == hashAndPorts && words[w + TAG] == keyTag
                    && words[w + CLIENT_LO] == cLo && words[w + SERVER_LO] == sLo
                    && words[w + CLIENT_HI] == cHi && words[w + SERVER_HI] == sHi) {
                return e;
            }
        }
        return NONE;
    }

    /**
     * Adds an entry for a key that {@link #find} just reported absent, as the newest; the caller
     * makes room first when the table {@link #isFull()}. Its request fields are set by
     * {@link #recordRequest}.
     */
    int insert(int hash, long cHi, long cLo, long sHi, long sLo, int packedPorts, long keyTag, long clockNs) {
        if (freeHead == NONE) {
            throw new IllegalStateException("pending table full: evict before inserting");
        }
        int e = freeHead;
        int l = e * INTS;
        freeHead = links[l + NEWER];
        int w = e * LONGS;
        words[w + HASH_PORTS] = hashPorts(hash, packedPorts);
        words[w + TAG] = keyTag;
        words[w + CLIENT_HI] = cHi;
        words[w + CLIENT_LO] = cLo;
        words[w + SERVER_HI] = sHi;
        words[w + SERVER_LO] = sLo;
        words[w + ENQUEUED_AT] = clockNs;
        links[l + RETRANSMITS] = 0;
        int b = hash & bucketMask;
        links[l + CHAIN_NEXT] = buckets[b];
        buckets[b] = e;
        appendNewest(e);
        size++;
        if (2 * size > buckets.length && buckets.length < maxBuckets) {
            growBuckets();
        }
        return e;
    }

    /** Twice the buckets, every entry re-chained from its stored hash (no key is hashed again). */
    private void growBuckets() {
        int[] grown = emptyBuckets(2 * buckets.length);
        int mask = grown.length - 1;
        for (int e = oldest; e != NONE; e = links[e * INTS + NEWER]) {
            int b = storedHash(e) & mask;
            links[e * INTS + CHAIN_NEXT] = grown[b];
            grown[b] = e;
        }
        buckets = grown;
        bucketMask = mask;
    }

    private int storedHash(int e) {
        return (int) (words[e * LONGS + HASH_PORTS] >>> 32);
    }

    private static int[] emptyBuckets(int count) {
        int[] b = new int[count];
        java.util.Arrays.fill(b, NONE);
        return b;
    }

    /** Buckets in the hash index now (tests: growth). */
    int bucketCount() { return buckets.length; }

    /** Stores the packet that is now the measured copy of the request. */
    void recordRequest(int e, long tsNs, long ifIndex, int directionCode, int tsDigits) {
        words[e * LONGS + REQUEST_TS] = tsNs;
        int l = e * INTS;
        links[l + IFINDEX] = (int) ifIndex;
        links[l + PACKET_INFO] = (directionCode & 0xFF) | (tsDigits & 0xFF) << 8;
    }

    void countRetransmit(int e) { links[e * INTS + RETRANSMITS]++; }

    /** Makes the entry the newest, as of clockNs (a retransmit restarts its wait). */
    void touch(int e, long clockNs) {
        words[e * LONGS + ENQUEUED_AT] = clockNs;
        if (e != newest) {
            unlinkAge(e);
            appendNewest(e);
        }
    }

    void remove(int e) {
        int b = storedHash(e) & bucketMask;
        int next = links[e * INTS + CHAIN_NEXT];
        if (buckets[b] == e) {
            buckets[b] = next;
        } else {
            int p = buckets[b];
            while (links[p * INTS + CHAIN_NEXT] != e) {
                p = links[p * INTS + CHAIN_NEXT];
            }
            links[p * INTS + CHAIN_NEXT] = next;
        }
        unlinkAge(e);
        links[e * INTS + NEWER] = freeHead;
        freeHead = e;
        size--;
    }

    boolean isFull() { return size == capacity; }
    int size() { return size; }
    int capacity() { return capacity; }
    /** The entry inserted or touched longest ago, or {@link #NONE} when empty. */
    int oldest() { return oldest; }

    long enqueuedAtNs(int e) { return words[e * LONGS + ENQUEUED_AT]; }
    int kindOrdinal(int e) { return (int) (words[e * LONGS + TAG] >>> 32); }
    /** The low 32 bits of the tag, unsigned. */
    long discriminator(int e) { return words[e * LONGS + TAG] & 0xFFFF_FFFFL; }
    long clientHi(int e) { return words[e * LONGS + CLIENT_HI]; }
    long clientLo(int e) { return words[e * LONGS + CLIENT_LO]; }
    long serverHi(int e) { return words[e * LONGS + SERVER_HI]; }
    long serverLo(int e) { return words[e * LONGS + SERVER_LO]; }
    int clientPort(int e) { return (int) (words[e * LONGS + HASH_PORTS] >>> 16) & 0xFFFF; }
    int serverPort(int e) { return (int) words[e * LONGS + HASH_PORTS] & 0xFFFF; }
    long requestTsNs(int e) { return words[e * LONGS + REQUEST_TS]; }
    long ifindex(int e) { return links[e * INTS + IFINDEX] & 0xFFFF_FFFFL; }
    int directionCode(int e) { return links[e * INTS + PACKET_INFO] & 0xFF; }
    int tsDigits(int e) { return (links[e * INTS + PACKET_INFO] >>> 8) & 0xFF; }
    int retransmits(int e) { return links[e * INTS + RETRANSMITS]; }

    private void appendNewest(int e) {
        links[e * INTS + OLDER] = newest;
        links[e * INTS + NEWER] = NONE;
        if (newest != NONE) {
            links[newest * INTS + NEWER] = e;
        } else {
            oldest = e;
        }
        newest = e;
    }

    private void unlinkAge(int e) {
        int o = links[e * INTS + OLDER];
        int n = links[e * INTS + NEWER];
        if (o != NONE) {
            links[o * INTS + NEWER] = n;
        } else {
            oldest = n;
        }
        if (n != NONE) {
            links[n * INTS + OLDER] = o;
        } else {
            newest = o;
        }
    }
}
