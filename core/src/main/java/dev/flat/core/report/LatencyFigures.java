package dev.flat.core.report;

/**
 * Summary figures of a latency distribution, in ns. min and max are exact, mean is exact to the
 * nearest ns, the percentiles are within 0.1% (see {@link LatencyStats}).
 */
public record LatencyFigures(long minNs, long meanNs, long p50Ns, long p90Ns, long p99Ns, long maxNs) {
}
