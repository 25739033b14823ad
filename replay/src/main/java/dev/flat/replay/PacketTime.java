package dev.flat.replay;

/**
 * What a capture record's time field holds, as its reader found it.
 */
enum PacketTime {
    /** A time in flat's clock: signed 64-bit nanoseconds since the epoch (1677 to 2262). */
    VALID,
    /**
     * A field out of range, read as Wireshark reads it: a pcap sub-second field of a second or
     * more is added as it is (10^9 ns is one more second), and a pcapng time beyond flat's clock
     * is kept modulo 2^64 (what its writer meant as a negative time comes out as that time).
     * Latencies between such packets are exact, since they differ by far less than 2^63 ns; their
     * clock times in a report are what the field says, not necessarily when they were captured.
     * The packet is measured and counted ({@code timestamps_out_of_range}).
     */
    OUT_OF_RANGE,
    /** No time at all (pcapng Simple Packet Block): the packet is counted {@code no_timestamp}. */
    ABSENT
}
