package dev.flat.core.report;

import dev.flat.core.match.Kind;

/** A server as the summary groups it: kind, address and port (0 for icmp, which has no ports). */
public record ServerKey(Kind kind, long hi, long lo, int port) {
    /** {@code 192.0.2.1:53}, {@code [2001:db8::1]:443}, or the bare address for icmp. */
    public String endpoint() {
        return kind == Kind.ICMP ? AddressText.format(hi, lo) : AddressText.endpoint(hi, lo, port);
    }

    public String address() { return AddressText.format(hi, lo); }
}
