package dev.flat.cli;

import dev.flat.bpf.LiveCaptureException;
import dev.flat.core.input.InputException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import java.util.concurrent.Callable;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one line on stderr, {@code flat: <what>: <problem>},
 * and the exit code for its kind. The stack trace follows only with --verbose: users get the
 * message, bug reports get the trace.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {

    /**
     * Runs a command's body, mapping what it throws to one line and an exit code. Usage errors
     * ({@link ParameterException}) pass through to picocli's parameter exception handler, which
     * exits {@link ExitCode#USAGE}. Commands call this themselves so that a bare
     * {@code new CommandLine(new Main())} (tests, embedding) maps failures the same way.
     */
    public static int guard(CommandSpec spec, boolean verbose, Callable<Integer> body) {
        try {
            return body.call();
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            return report(e, spec.commandLine().getErr(), verbose);
        }
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(ex, cmd.getErr(), verbose(parseResult));
    }

    private static int report(Exception ex, PrintWriter err, boolean verbose) {
        if (ex instanceof ReportOutputException out && out.brokenPipe()) {
            // What a C tool killed by SIGPIPE prints: nothing (a note with --verbose).
            if (verbose) {
                err.println("flat: " + ex.getMessage());
                err.flush();
            }
            return ExitCode.BROKEN_PIPE;
        }
        int code;
        if (ex instanceof ReportOutputException) {
            err.println("flat: " + ex.getMessage());
            code = ExitCode.OUTPUT;
        } else if (ex instanceof LiveCaptureException) {
            err.println("flat: " + ex.getMessage());
            code = ExitCode.LIVE_SETUP;
        } else if (ex instanceof InputException) {
            err.println("flat: " + ex.getMessage());
            code = ExitCode.INPUT;
        } else if (ex instanceof FileSystemException fs) {
            err.println("flat: " + describe(fs));
            code = ExitCode.INPUT;
        } else {
            err.println("flat: internal error: " + ex);
            code = ExitCode.INTERNAL;
        }
        if (verbose) {
            ex.printStackTrace(err);
        } else if (code == ExitCode.INTERNAL) {
            err.println("flat: run again with --verbose for the stack trace");
        }
        err.flush();
        return code;
    }

    /** {@code capture.pcap: no such file} rather than the JDK's bare path. */
    static String describe(FileSystemException e) {
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else {
            what = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        }
        return e.getFile() + ": " + what;
    }

    private static boolean verbose(ParseResult pr) {
        for (ParseResult r = pr; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
