package dev.flat.core.match;

/** How a request ended when it produced an exchange. */
public enum Outcome {
    /** The expected response arrived (SYN/ACK, DNS response, UDP reply, echo reply). */
    ANSWERED("answered"),
    /** A TCP RST answered the SYN: the port is closed, but the round trip is still measured. */
    REFUSED("refused");

    private final String label;

    Outcome(String label) { this.label = label; }

    public String label() { return label; }
}
