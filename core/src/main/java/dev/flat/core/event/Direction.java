package dev.flat.core.event;

/** Where a packet was seen, as recorded in {@code flat_event.direction}. */
public enum Direction {
    UNKNOWN(0), INGRESS(1), EGRESS(2);

    private static final Direction[] BY_CODE = {UNKNOWN, INGRESS, EGRESS};
    private final int code;

    Direction(int code) { this.code = code; }

    public int code() { return code; }

    /** Unknown codes map to UNKNOWN rather than failing: a record from a newer probe still reads. */
    public static Direction of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
