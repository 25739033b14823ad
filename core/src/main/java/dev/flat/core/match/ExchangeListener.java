package dev.flat.core.match;

/** Receives exchanges as the matcher completes them. See {@link Exchange} for ownership. */
@FunctionalInterface
public interface ExchangeListener {
    void onExchange(Exchange exchange);

    /**
     * A request that ended without a response: it waited longer than the timeout, or was still
     * pending at the end of the input (each call is one count of {@link MatcherStats#unanswered}).
     * For listeners that place unanswered requests in time (the html report); the default ignores
     * them. Primitive arguments, so that nothing is allocated per request.
     *
     * @param requestTimeNs wall-clock time of the request's latest copy, ns since the Unix epoch
     * @param serverPort    0 for icmp, which has no ports (as in the summary's server key)
     * @param retransmits   earlier copies of the request
     */
    default void onUnanswered(Kind kind, long requestTimeNs, long serverHi, long serverLo, int serverPort,
                              int retransmits) {
    }
}
