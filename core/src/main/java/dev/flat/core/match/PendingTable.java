package dev.flat.core.match;

/**
 * The pending requests: a fixed pool of entries stored as parallel primitive arrays, a chained
 * hash index over them and an intrusive list in the order they were last (re)inserted. Nothing
 * here allocates after construction.
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
 * <p>Chains are singly linked through {@code chainNext}; with at least two buckets per entry
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

    private final int capacity;
    private final FlowHash flowHash;

    // Key.
    private final long[] clientHi;
    private final long[] clientLo;
    private final long[] serverHi;
    private final long[] serverLo;
    private final int[] ports;
    private final long[] tag;

    // The measured (latest) copy of the request.
    private final long[] requestTsNs;
    /** u32 ifindex, stored as its bits. */
    private final int[] ifindex;
    /** Direction code in the low byte, timestamp digits in the next. */
    private final int[] packetInfo;
    private final int[] retransmits;

    // Hash index.
    private int[] buckets;
    private int bucketMask;
    private final int maxBuckets;
    private final int[] hashOf;
    private final int[] chainNext;

    // Age order; free entries are chained through {@code newer}.
    private final long[] enqueuedAtNs;
    private final int[] older;
    private final int[] newer;
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
        clientHi = new long[capacity];
        clientLo = new long[capacity];
        serverHi = new long[capacity];
        serverLo = new long[capacity];
        ports = new int[capacity];
        tag = new long[capacity];
        requestTsNs = new long[capacity];
        ifindex = new int[capacity];
        packetInfo = new int[capacity];
        retransmits = new int[capacity];
        maxBuckets = Integer.highestOneBit(capacity) << 2; // a power of two, 2..4 per entry of the capacity
        buckets = emptyBuckets(Math.min(INITIAL_BUCKETS, maxBuckets));
        bucketMask = buckets.length - 1;
        hashOf = new int[capacity];
        chainNext = new int[capacity];
        enqueuedAtNs = new long[capacity];
        older = new int[capacity];
        newer = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            newer[i] = i + 1 < capacity ? i + 1 : NONE;
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

    /** The entry with exactly this key, or {@link #NONE}. */
    int find(int hash, long cHi, long cLo, long sHi, long sLo, int packedPorts, long keyTag) {
        for (int e = buckets[hash & bucketMask]; e != NONE; e = chainNext[e]) {
            if (hashOf[e] == hash && tag[e] == keyTag && ports[e] == packedPorts
                    && clientLo[e] == cLo && serverLo[e] == sLo
                    && clientHi[e] == cHi && serverHi[e] == sHi) {
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
        freeHead = newer[e];
        clientHi[e] = cHi;
        clientLo[e] = cLo;
        serverHi[e] = sHi;
        serverLo[e] = sLo;
        ports[e] = packedPorts;
        tag[e] = keyTag;
        retransmits[e] = 0;
        hashOf[e] = hash;
        int b = hash & bucketMask;
        chainNext[e] = buckets[b];
        buckets[b] = e;
        enqueuedAtNs[e] = clockNs;
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
        for (int e = oldest; e != NONE; e = newer[e]) {
            int b = hashOf[e] & mask;
            chainNext[e] = grown[b];
            grown[b] = e;
        }
        buckets = grown;
        bucketMask = mask;
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
        requestTsNs[e] = tsNs;
        ifindex[e] = (int) ifIndex;
        packetInfo[e] = (directionCode & 0xFF) | (tsDigits & 0xFF) << 8;
    }

    void countRetransmit(int e) { retransmits[e]++; }

    /** Makes the entry the newest, as of clockNs (a retransmit restarts its wait). */
    void touch(int e, long clockNs) {
        enqueuedAtNs[e] = clockNs;
        if (e != newest) {
            unlinkAge(e);
            appendNewest(e);
        }
    }

    void remove(int e) {
        int b = hashOf[e] & bucketMask;
        if (buckets[b] == e) {
            buckets[b] = chainNext[e];
        } else {
            int p = buckets[b];
            while (chainNext[p] != e) {
                p = chainNext[p];
            }
            chainNext[p] = chainNext[e];
        }
        unlinkAge(e);
        newer[e] = freeHead;
        freeHead = e;
        size--;
    }

    boolean isFull() { return size == capacity; }
    int size() { return size; }
    int capacity() { return capacity; }
    /** The entry inserted or touched longest ago, or {@link #NONE} when empty. */
    int oldest() { return oldest; }

    long enqueuedAtNs(int e) { return enqueuedAtNs[e]; }
    int kindOrdinal(int e) { return (int) (tag[e] >>> 32); }
    /** The low 32 bits of the tag, unsigned. */
    long discriminator(int e) { return tag[e] & 0xFFFF_FFFFL; }
    long clientHi(int e) { return clientHi[e]; }
    long clientLo(int e) { return clientLo[e]; }
    long serverHi(int e) { return serverHi[e]; }
    long serverLo(int e) { return serverLo[e]; }
    int clientPort(int e) { return ports[e] >>> 16; }
    int serverPort(int e) { return ports[e] & 0xFFFF; }
    long requestTsNs(int e) { return requestTsNs[e]; }
    long ifindex(int e) { return ifindex[e] & 0xFFFF_FFFFL; }
    int directionCode(int e) { return packetInfo[e] & 0xFF; }
    int tsDigits(int e) { return (packetInfo[e] >>> 8) & 0xFF; }
    int retransmits(int e) { return retransmits[e]; }

    private void appendNewest(int e) {
        older[e] = newest;
        newer[e] = NONE;
        if (newest != NONE) {
            newer[newest] = e;
        } else {
            oldest = e;
        }
        newest = e;
    }

    private void unlinkAge(int e) {
        int o = older[e];
        int n = newer[e];
        if (o != NONE) {
            newer[o] = n;
        } else {
            oldest = n;
        }
        if (n != NONE) {
            older[n] = o;
        } else {
            newest = o;
        }
    }
}
