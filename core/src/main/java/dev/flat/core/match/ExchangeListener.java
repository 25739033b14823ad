package dev.flat.core.match;

/** Receives exchanges as the matcher completes them. See {@link Exchange} for ownership. */
@FunctionalInterface
public interface ExchangeListener {
    void onExchange(Exchange exchange);
}
