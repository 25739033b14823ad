package dev.flat.core.report;

import dev.flat.core.match.Kind;

/**
 * SGR colour codes (ECMA-48 section 8.3.117) for the text format, one colour per kind as in the
 * original flat: tcp cyan, udp light yellow, plus dns green and icmp blue.
 */
public enum Ansi {
    ON, OFF;

    private static final String RESET = "\u001b[0m";

    public String start(Kind kind) {
        if (this == OFF) {
            return "";
        }
        return switch (kind) {
            case TCP -> "\u001b[36m";
            case UDP -> "\u001b[93m";
            case DNS -> "\u001b[32m";
            case ICMP -> "\u001b[34m";
        };
    }

    public String end() { return this == ON ? RESET : ""; }
}
