package dev.flat.cli;

/** Every exit status flat uses, in one place (README.md, "Exit codes", lists the same). */
public final class ExitCode {
    /** Done; also when the input produced warnings (a file cut short, skipped packets). */
    public static final int OK = 0;
    /** A bug or an unexpected failure: the one line names it, --verbose adds the stack trace. */
    public static final int INTERNAL = 1;
    /** Bad command line: unknown option, bad value, missing file argument. */
    public static final int USAGE = 2;
    /** Input that cannot be read: missing or unreadable file, unknown format, garbage. */
    public static final int INPUT = 3;
    /** Live capture could not be set up: privileges, interface, kernel features. */
    public static final int LIVE_SETUP = 4;
    /** Output could not be written: disk full or an I/O error on the report or event log; what was
     *  written before stays readable. */
    public static final int OUTPUT = 5;
    /**
     * Stopped by SIGINT or SIGTERM (128 + 2, the shell's status for a SIGINT): flat analyze still
     * completes its report of what was read and says where reading stopped.
     */
    public static final int INTERRUPTED = 130;
    /**
     * Standard output's reader went away ({@code flat analyze big.pcap | head -1}): flat stops
     * reading and prints nothing, as a C tool killed by SIGPIPE does, and exits with the status
     * the shell reports for such a tool, 128 + 13 (SIGPIPE). The JVM ignores SIGPIPE, so flat
     * sees the failed write (EPIPE) instead.
     */
    public static final int BROKEN_PIPE = 141;

    private ExitCode() {}
}
