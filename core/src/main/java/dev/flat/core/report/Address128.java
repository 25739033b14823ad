package dev.flat.core.report;

/**
 * A 128-bit address as two big-endian halves, the form event records and exchanges use
 * (IPv4 as IPv4-mapped IPv6, RFC 4291 section 2.5.5.2).
 */
public record Address128(long hi, long lo) {
    /** {@link AddressText#format}: dotted quad for IPv4-mapped, RFC 5952 text otherwise. */
    @Override
    public String toString() { return AddressText.format(hi, lo); }
}
