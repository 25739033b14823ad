package dev.flat.core.report;

/** One server's exchanges and latency figures (over answered and refused exchanges alike). */
public record ServerTotals(ServerKey server, long exchanges, long refused, LatencyFigures latency) {
}
