package dev.flat.cli.live;

import dev.flat.bpf.LiveCapture;
import dev.flat.bpf.LiveCounters;
import dev.flat.cli.DiagnosticOptions;
import dev.flat.cli.DurationConverter;
import dev.flat.cli.ErrorHandler;
import dev.flat.cli.ExitCode;
import dev.flat.cli.FilterOptions;
import dev.flat.cli.MatchOptions;
import dev.flat.cli.Pipeline;
import dev.flat.cli.ReportOptions;
import dev.flat.cli.StopSignals;
import dev.flat.cli.VersionProvider;
import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import dev.flat.core.match.Kind;
import dev.flat.core.match.MatcherConfig;
import dev.flat.core.match.MatcherStats;
import dev.flat.core.report.EncodingWriter;
import dev.flat.core.report.ReportWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flat monitor}: live matching through the same filter, matcher and report writers as
 * {@code flat analyze} ({@link Pipeline}); each exchange is printed as it completes. When no
 * event arrives the matcher expires requests older than --timeout against the wall clock; lost
 * events and evictions are reported on stderr as they grow (checked every second), and the
 * summary follows on SIGINT/SIGTERM (exit 0).
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measure latency live on an interface, printing each exchange as it completes.",
            "Ctrl-C (SIGINT) or SIGTERM stops and prints the summary."})
public final class MonitorCommand implements Callable<Integer> {
    private static final long WARN_INTERVAL_NS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Mixin
    LiveCaptureOptions capture;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 30s, 5m) instead of waiting for Ctrl-C.")
    Long durationNs;

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
        return ErrorHandler.guard(spec, diagnostics.verbose(), this::monitor);
    }

    private int monitor() throws IOException {
        MatcherConfig config;
        try {
            config = match.config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid matcher setting: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        boolean toStdout = report.output() == null;
        Writer out = toStdout ? spec.commandLine().getOut() : openOutput();
        long started = System.nanoTime();
        String stoppedBy;
        try (StopSignals signals = StopSignals.install();
             LiveCapture live = LiveCaptures.open(capture.toLiveOptions(config.kinds(), filter.hosts(), filter.ports()), err)) {
            InterfaceNames names = new InterfaceNames();
            names.put(live.ifindex(), live.iface());
            InputStats stats = new InputStats();
            stats.addFile(live.iface() + " (live, " + live.description() + ")");
            ReportWriter writer = report.format().open(out, err, report.color().resolve(toStdout), names::label, true);
            Pipeline pipeline = new Pipeline(config, filter.hosts(), filter.ports(), writer);
            EventSink in = wallClock(live.clockOffsetNs(), stats, pipeline.input());
            err.println("flat: monitoring " + live.iface() + " (" + live.description() + "); Ctrl-C stops");
            err.flush();
            Warnings warnings = new Warnings(err);
            long lastCheck = System.nanoTime();
            while (true) {
                if (signals.requested()) {
                    stoppedBy = signals.received();
                    break;
                }
                if (durationNs != null && System.nanoTime() - started >= durationNs) {
                    stoppedBy = "--duration";
                    break;
                }
                if (live.poll(in, LiveLoop.POLL_TIMEOUT_MS) == 0) {
                    pipeline.matcher().expireUpTo(LiveLoop.wallClockNowNs());
                }
                if (System.nanoTime() - lastCheck >= WARN_INTERVAL_NS) {
                    lastCheck = System.nanoTime();
                    warnings.check(live.counters(), pipeline.matcher().stats());
                }
            }
            LiveCounters counters = live.counters();
            live.close(); // detach before the summary: nothing more is captured
            stats.countLost(counters.lost());
            warnings.check(counters, pipeline.matcher().stats());
            pipeline.finish(stats, report.top());
            err.println("flat: stopped by " + stoppedBy + " after " + LiveLoop.seconds(System.nanoTime() - started)
                    + "; " + live.description() + " counters: " + LiveLoop.describe(counters));
            err.flush();
        } finally {
            if (toStdout) {
                out.flush();
            } else {
                out.close();
            }
        }
        return ExitCode.OK;
    }

    /**
     * Copies each record out of the source's buffer (the ring may be mapped read-only) and moves
     * its timestamp to the wall clock, as offline sources deliver them.
     */
    static EventSink wallClock(long clockOffsetNs, InputStats stats, EventSink downstream) {
        EventRecord local = EventRecord.allocate();
        return e -> {
            e.copyTo(local);
            local.tsNs(local.tsNs() + clockOffsetNs);
            stats.countPacket();
            stats.countEvent();
            downstream.onEvent(local);
        };
    }

    private Writer openOutput() {
        try {
            return new EncodingWriter(Files.newOutputStream(report.output()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--output': cannot write " + report.output() + ": " + e.getMessage());
        }
    }

    /** Says on stderr when lost events or evictions grow, once per check. */
    private static final class Warnings {
        private final PrintWriter err;
        private long lost;
        private long evicted;

        Warnings(PrintWriter err) { this.err = err; }

        void check(LiveCounters counters, MatcherStats matcher) {
            if (counters.lost() > lost) {
                err.println("flat: warning: " + (counters.lost() - lost) + " events lost before flat could read them ("
                        + counters.lost() + " in all; try a larger --ring-size)");
                lost = counters.lost();
            }
            long e = 0;
            for (Kind k : Kind.values()) {
                e += matcher.evicted(k);
            }
            if (e > evicted) {
                err.println("flat: warning: " + (e - evicted) + " pending requests evicted (" + e
                        + " in all; try a larger --max-pending)");
                evicted = e;
            }
            err.flush();
        }
    }
}
