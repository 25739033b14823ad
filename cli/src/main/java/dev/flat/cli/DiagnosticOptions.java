package dev.flat.cli;

import picocli.CommandLine.Option;

/** --verbose and --no-progress; shared by every command that does work. */
public final class DiagnosticOptions {
    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = "--no-progress", description = "Never draw the progress bar on standard error.")
    boolean noProgress;

    public boolean verbose() { return verbose; }
    public boolean noProgress() { return noProgress; }
}
