package dev.flat.core.match;

/** The kinds of request/response exchange flat measures. */
public enum Kind {
    TCP("tcp"), DNS("dns"), UDP("udp"), ICMP("icmp");

    private final String label;

    Kind(String label) { this.label = label; }

    /** The lower-case name used in every report and on the command line. */
    public String label() { return label; }

    public static Kind fromLabel(String label) {
        for (Kind k : values()) {
            if (k.label.equalsIgnoreCase(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + label + "' (expected tcp, dns, udp or icmp)");
    }
}
