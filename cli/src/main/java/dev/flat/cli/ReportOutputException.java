package dev.flat.cli;

import java.io.IOException;

/**
 * Writing the report failed: a full disk or an I/O error ({@link ExitCode#OUTPUT}, with this
 * message), or standard output's reader went away ({@link #brokenPipe()}: {@link ExitCode#BROKEN_PIPE},
 * silently). Either way the analysis stopped reading at once.
 */
final class ReportOutputException extends IOException {
    private final boolean brokenPipe;

    ReportOutputException(String output, IOException cause, boolean brokenPipe) {
        super(brokenPipe
                ? output + " was closed by its reader; reading stopped"
                : output + ": writing the report failed (" + cause.getMessage() + ")", cause);
        this.brokenPipe = brokenPipe;
    }

    boolean brokenPipe() { return brokenPipe; }
}
