package dev.flat.cli;

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
        subcommands = {AnalyzeCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (also with warnings)",
            "1:internal error",
            "2:usage error",
            "3:unreadable or invalid input",
            "4:live capture setup failed",
            "130:interrupted"})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with flat's exit codes and error handling: what main and the tests run. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExitCodeOnInvalidInput(ExitCode.USAGE);
        cmd.setExitCodeOnExecutionException(ExitCode.INTERNAL);
        cmd.setExecutionExceptionHandler(new ErrorHandler());
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
