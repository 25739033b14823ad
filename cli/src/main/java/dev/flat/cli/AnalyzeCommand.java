package dev.flat.cli;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.report.ReportWriter;
import dev.flat.replay.Inputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flat analyze FILE...}: the offline path. Files are read in the order given into one
 * pipeline, so a capture split over several files matches across the cut and yields one report.
 *
 * <p>The report is always completed when the reading ends early for a reason on the input side:
 * a file cut short or shrinking (a warning, exit 0), garbage (exit 3), Ctrl-C ({@link Interruption},
 * exit 130). When the output fails instead, reading stops at once and there is nothing to
 * complete: a full disk exits 5 with one line, a closed standard output 141 without one.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measure latency in capture files (pcap, pcapng, gzip-compressed ones) and flat event logs.",
            "Several files are read in order into one report."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files or event logs, read in order.")
    List<Path> files;

    @Mixin
    ReportOptions report;

    @Mixin
    MatchOptions match;

    @Mixin
    FilterOptions filter;

    @Mixin
    DiagnosticOptions diagnostics;

    @Override
    public Integer call() {
        return ErrorHandler.guard(spec, diagnostics.verbose(), this::analyze);
    }

    private int analyze() throws IOException {
        MatcherConfig config = matcherConfig();
        if (report.top() < 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--top': must be 0 or more");
        }
        // The first file's reading may have started before the command line was parsed
        // (EarlyReading); adopted here, before the report's file is opened, if it opened the file.
        EarlyReading early = EarlyReading.take(files.get(0), report.output());
        try {
            // Check every other file first: a missing file or unknown format is reported before
            // any output is written (a pipe only for existence: looking into it would consume it).
            for (Path f : early == null ? files : files.subList(1, files.size())) {
                Inputs.check(f);
            }
            return analyze(config, spec.commandLine().getErr(), early);
        } finally {
            if (early != null) {
                early.reading().abandon(); // nothing to stop once it was drained
            }
        }
    }

    private int analyze(MatcherConfig config, PrintWriter err, EarlyReading early) throws IOException {
        InputStats stats = early != null ? early.stats() : new InputStats();
        InterfaceLabels interfaces = new InterfaceLabels();
        InputException failure = null;
        Interruption interruption = new Interruption();
        ReportOutput out = ReportOutput.open(spec.commandLine(), report.output());
        try (out; StopSignals signals = StopSignals.installStopThenExit(interruption::request)) {
            ReportWriter writer = report.format().open(out.writer(), err, report.color().resolve(out.toStdout()),
                    interfaces, false);
            Pipeline pipeline = new Pipeline(config, filter.hosts(), filter.ports(), writer);
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                try {
                    if (i == 0 && early != null) {
                        drainEarly(early, pipeline, interfaces, err, interruption);
                    } else {
                        drain(f, pipeline, stats, interfaces, err, interruption);
                    }
                } catch (InputException e) {
                    // Keep what was read: the report is finished (and so well-formed) before the
                    // error is raised.
                    stats.warn(e.getMessage());
                    failure = e;
                    break;
                }
                if (interruption.requested()) {
                    break;
                }
            }
            pipeline.finish(stats, report.top());
        } catch (IOException | UncheckedIOException e) {
            ReportOutputException writeFailure = out.failure();
            if (writeFailure == null) {
                throw e;
            }
            throw writeFailure;
        }
        for (String w : stats.warnings()) {
            if (failure == null || !w.equals(failure.getMessage())) {
                err.println("flat: warning: " + w);
            }
        }
        err.flush();
        if (failure != null) {
            throw failure;
        }
        return interruption.requested() ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    private MatcherConfig matcherConfig() {
        try {
            return match.config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid matcher setting: " + e.getMessage());
        }
    }

    /**
     * As {@link #drain}, for the first file when its reading started early: the events and counts
     * read so far are this analysis's (an interruption that came first stops the reading where
     * it has got to, and what was read is kept).
     */
    private void drainEarly(EarlyReading early, Pipeline pipeline, InterfaceLabels interfaces, PrintWriter err,
                            Interruption interruption) throws IOException {
        try (EventSource source = early.source()) {
            if (!interruption.startReading(source)) {
                source.requestStop();
            }
            read(source, early.file(), interfaces, err, interruption, () -> early.reading().finish(pipeline.input()));
        }
    }

    private void drain(Path file, Pipeline pipeline, InputStats stats, InterfaceLabels interfaces, PrintWriter err,
                       Interruption interruption) throws IOException {
        try (EventSource source = Inputs.open(file)) {
            if (!interruption.startReading(source)) {
                stats.warn("interrupted before " + file + " was read; results up to there kept");
                return;
            }
            read(source, file, interfaces, err, interruption, () -> {
                if (ReaderThread.worthwhile(source)) {
                    ReaderThread.drain(source, pipeline.input(), stats);
                } else {
                    source.drainTo(pipeline.input(), stats);
                }
            });
        }
    }

    /** What reading a source involves whichever thread reads it: its interface names, the progress bar, the end of the reading. */
    private void read(EventSource source, Path file, InterfaceLabels interfaces, PrintWriter err,
                      Interruption interruption, Reading reading) throws IOException {
        interfaces.use(source.interfaces());
        try (ProgressBar bar = ProgressBar.startIfUseful(err, source, file.getFileName().toString(),
                diagnostics.noProgress())) {
            reading.run();
        } finally {
            interruption.doneReading();
        }
    }

    /** The reading itself, which may fail as reading does. */
    private interface Reading {
        void run() throws IOException;
    }
}
