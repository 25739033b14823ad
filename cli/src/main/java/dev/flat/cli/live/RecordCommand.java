package dev.flat.cli.live;

import dev.flat.bpf.LiveCapture;
import dev.flat.bpf.LiveCounters;
import dev.flat.cli.DiagnosticOptions;
import dev.flat.cli.DurationConverter;
import dev.flat.cli.ErrorHandler;
import dev.flat.cli.ExitCode;
import dev.flat.cli.FilterOptions;
import dev.flat.cli.KindConverter;
import dev.flat.cli.StopSignals;
import dev.flat.cli.VersionProvider;
import dev.flat.core.event.EventSink;
import dev.flat.core.filter.EventFilter;
import dev.flat.core.match.Kind;
import dev.flat.replay.eventlog.EventLogHeader;
import dev.flat.replay.eventlog.EventLogWriteException;
import dev.flat.replay.eventlog.EventLogWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flat record}: captures live into an event log (docs/event-log.md) until SIGINT/SIGTERM,
 * {@code --duration} or {@code --count}; then detaches, flushes, syncs and prints a summary on
 * stderr. Exit 0 in all those cases; 4 when the capture cannot be set up; 1 when writing the log
 * fails (full disk), after saying how many records the log kept.
 */
@Command(name = "record", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Record live events into an event log, to analyse later with 'flat analyze FILE'.",
            "Stops on Ctrl-C (SIGINT), SIGTERM, --duration or --count, and prints a summary on stderr."})
public final class RecordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LiveCaptureOptions capture;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Event log to write (replaced if it exists).")
    Path output;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 30s, 5m).")
    Long durationNs;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
    Long count;

    @Option(names = "--kind", paramLabel = "KIND", split = ",", converter = KindConverter.class,
            description = "Record only these kinds: comma list of tcp, dns, udp, icmp (default: all; "
                    + "dns and udp are both UDP to the capture).")
    List<Kind> kinds;

    @Mixin
    FilterOptions filter;

    @Mixin
    DiagnosticOptions diagnostics;

    @Override
    public Integer call() {
        return ErrorHandler.guard(spec, diagnostics.verbose(), this::record);
    }

    private int record() throws IOException {
        if (count != null && count <= 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--count': must be 1 or more");
        }
        PrintWriter err = spec.commandLine().getErr();
        EnumSet<Kind> selected = kinds == null || kinds.isEmpty() ? EnumSet.allOf(Kind.class) : EnumSet.copyOf(kinds);
        long started = System.nanoTime();
        Recording recording = new Recording(count == null ? Long.MAX_VALUE : count);
        String stoppedBy;
        LiveCounters counters;
        String description;
        try (StopSignals signals = StopSignals.install();
             LiveCapture live = LiveCaptures.open(capture.toLiveOptions(selected, filter.hosts(), filter.ports()), err);
             EventLogWriter writer = EventLogWriter.create(output, header(live))) {
            description = live.description();
            err.println("flat: recording " + live.iface() + " (" + description + ") into " + output + "; Ctrl-C stops");
            err.flush();
            // The source applies hosts and ports already (exactly for eBPF, as a superset for
            // libpcap's filter language); this makes the log the same for both.
            EventFilter in = new EventFilter(filter.hosts(), filter.ports(), recording.into(writer));
            while (true) {
                if (signals.requested()) {
                    stoppedBy = signals.received();
                    break;
                }
                if (durationNs != null && System.nanoTime() - started >= durationNs) {
                    stoppedBy = "--duration";
                    break;
                }
                if (recording.countReached()) {
                    stoppedBy = "--count";
                    break;
                }
                try {
                    live.poll(in, LiveLoop.POLL_TIMEOUT_MS);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                writer.flushIfDue();
            }
            counters = live.counters();
            recording.filteredHere = in.filtered();
        } catch (EventLogWriteException e) {
            // Full disk or I/O error: the log keeps every whole record written before (the
            // message says how many), and the capture is already detached by the
            // try-with-resources. Not a bug and not a success: its own exit code.
            err.println("flat: " + e.getMessage());
            err.flush();
            return ExitCode.OUTPUT;
        }
        err.println("flat: stopped by " + stoppedBy + " after " + LiveLoop.seconds(System.nanoTime() - started)
                + "; " + recording.written + " events written to " + output);
        err.println("flat: events: " + recording.tally.describe());
        err.println("flat: " + description + " counters: " + LiveLoop.describe(counters));
        if (recording.filteredHere > 0) {
            err.println("flat: " + recording.filteredHere + " events left out by --host/--port");
        }
        if (recording.pastCount > 0) {
            err.println("flat: " + recording.pastCount + " events arrived after --count was reached and were not recorded");
        }
        if (counters.lost() > 0) {
            err.println("flat: warning: " + counters.lost() + " events were lost before flat could read them"
                    + " (try a larger --ring-size)");
        }
        err.flush();
        return ExitCode.OK;
    }

    private EventLogHeader header(LiveCapture live) {
        return new EventLogHeader(LiveLoop.wallClockNowNs(), live.clockOffsetNs(), live.ifindex(),
                LiveLoop.hostName(), live.iface(), LiveLoop.kernelRelease());
    }

    /** What the recording loop counts; the sink stops writing once --count is reached. */
    private static final class Recording {
        final EventTally tally = new EventTally();
        final long limit;
        long written;
        long pastCount;
        long filteredHere;

        Recording(long limit) { this.limit = limit; }

        boolean countReached() { return written >= limit; }

        EventSink into(EventLogWriter writer) {
            return e -> {
                if (countReached()) {
                    pastCount++; // the rest of the poll batch that reached --count
                    return;
                }
                try {
                    writer.write(e);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
                written++;
                tally.count(e);
            };
        }
    }
}
