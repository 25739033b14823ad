package dev.flat.core.report;

/**
 * What the summary counted for one kind from the exchanges it was handed.
 *
 * @param exchanges   measured exchanges (answered + refused)
 * @param answered    exchanges with the expected response
 * @param refused     TCP SYNs answered by RST
 * @param latency     figures over all measured exchanges, null when there were none
 */
public record KindTotals(long exchanges, long answered, long refused, LatencyFigures latency) {
}
