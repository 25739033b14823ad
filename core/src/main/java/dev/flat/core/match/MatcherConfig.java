package dev.flat.core.match;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the {@link Matcher} measures and how much it may remember. Immutable.
 *
 * <p>The table is allocated up front at {@code maxPending} entries (104 bytes each, see
 * docs/matching.md), so the bound is also the matcher's memory footprint.
 */
public final class MatcherConfig {
    /** How long a request waits for its response, in capture time (the original flat's 10 s). */
    public static final long DEFAULT_TIMEOUT_NS = 10_000_000_000L;
    /**
     * 2^16 pending requests: one client's whole port range or one resolver's whole DNS id space,
     * 6.5 MiB of table; docs/matching.md has the arithmetic.
     */
    public static final int DEFAULT_MAX_PENDING = 65_536;
    /**
     * Upper bound on {@code maxPending}: 2^24 entries are about 1.7 GB of table, well past any
     * sensible setting, and keep the index's bucket count (2 per entry) a positive int.
     */
    public static final int MAX_MAX_PENDING = 1 << 24;

    private final long timeoutNs;
    private final int maxPending;
    private final Set<Kind> kinds;

    /**
     * @param timeoutNs  capture-time nanoseconds a request stays pending; &gt; 0
     * @param maxPending requests pending at once, 1 .. {@link #MAX_MAX_PENDING}
     * @param kinds      the kinds to measure; at least one. Events of other kinds are ignored.
     */
    public MatcherConfig(long timeoutNs, int maxPending, Set<Kind> kinds) {
        if (timeoutNs <= 0) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeoutNs + " ns");
        }
        if (maxPending < 1 || maxPending > MAX_MAX_PENDING) {
            throw new IllegalArgumentException(
                    "max pending must be between 1 and " + MAX_MAX_PENDING + ", got " + maxPending);
        }
        Objects.requireNonNull(kinds, "kinds");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("at least one kind must be measured");
        }
        EnumSet<Kind> copy = EnumSet.noneOf(Kind.class);
        copy.addAll(kinds);
        this.timeoutNs = timeoutNs;
        this.maxPending = maxPending;
        this.kinds = Collections.unmodifiableSet(copy);
    }

    /** Every kind, {@link #DEFAULT_TIMEOUT_NS}, {@link #DEFAULT_MAX_PENDING}. */
    public static MatcherConfig defaults() {
        return new MatcherConfig(DEFAULT_TIMEOUT_NS, DEFAULT_MAX_PENDING, EnumSet.allOf(Kind.class));
    }

    public long timeoutNs() { return timeoutNs; }

    public int maxPending() { return maxPending; }

    /** Unmodifiable, in {@link Kind} declaration order. */
    public Set<Kind> kinds() { return kinds; }

    @Override
    public String toString() {
        return "MatcherConfig[timeoutNs=" + timeoutNs + ", maxPending=" + maxPending + ", kinds=" + kinds + "]";
    }
}
