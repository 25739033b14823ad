package dev.flat.cli;

import dev.flat.cli.live.MonitorCommand;
import dev.flat.cli.live.RecordCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flat}: the top-level command; all work is done by its subcommands. */
@Command(name = "flat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measures network latency passively from packets: tcp handshakes, dns, udp and icmp echo.",
        subcommands = {AnalyzeCommand.class, RecordCommand.class, MonitorCommand.class, CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = ExitCode.USAGE,
        exitCodeOnExecutionException = ExitCode.INTERNAL,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.OK + ":success (also with warnings)",
            ExitCode.INTERNAL + ":internal error",
            ExitCode.USAGE + ":usage error",
            ExitCode.INPUT + ":unreadable or invalid input",
            ExitCode.LIVE_SETUP + ":live capture setup failed",
            ExitCode.OUTPUT + ":output could not be written (disk full, I/O error)",
            ExitCode.INTERRUPTED + ":interrupted (SIGINT, SIGTERM); analyze reports what was read",
            ExitCode.BROKEN_PIPE + ":standard output closed by its reader (broken pipe)"},
        footer = "%nDocumentation: README.md and docs/ in the source tree.%n")
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        EarlyReading.startIfLikely(args); // before the 0.1 s picocli takes to build the command line
        CommandLine cmd = commandLine();
        StandardOutput out = StandardOutput.open();
        cmd.setOut(out);
        int code = cmd.execute(args);
        EarlyReading.abandonUntaken();
        out.flush();
        System.exit(code);
    }

    /**
     * The command line main runs. Commands turn their own failures into exit codes
     * ({@link ErrorHandler#guard}), so {@code new CommandLine(new Main())} in tests behaves the
     * same; the handler installed here only catches what escapes a command anyway.
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler(new ErrorHandler());
        cmd.setParameterExceptionHandler(new UsageErrorHandler());
        return cmd;
    }

    /** {@code flat} alone: say what to do instead, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("flat: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
