package dev.flat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM as a stop request instead of the JVM's default (run the shutdown hooks and
 * exit 130/143), so that a command can end its work cleanly. The live commands poll
 * {@link #requested()} within one poll timeout, detach, flush, print their summary and exit 0;
 * {@code flat analyze} passes an action that stops the reading at the next record boundary,
 * then completes its report and exits {@link ExitCode#INTERRUPTED}. Closing restores the
 * handlers that were there before (tests run commands in-process).
 *
 * <p>A signal inherited as ignored (a background job of a script) is handled all the same, as
 * tcpdump does: see {@link InheritedIgnore}.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a signal
 * without starting the shutdown sequence, from which a command could no longer finish its work.
 */
public final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};
    /** The shell's status for a process ended by signal n is 128 + n (130 for SIGINT). */
    private static final int KILLED_BY_SIGNAL = 128;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final Runnable onFirst;
    private final boolean secondEndsProcess;
    private final AtomicReference<String> received = new AtomicReference<>();

    private StopSignals(Runnable onFirst, boolean secondEndsProcess) {
        this.onFirst = onFirst;
        this.secondEndsProcess = secondEndsProcess;
    }

    /** For a loop that polls {@link #requested()}; later signals change nothing. */
    public static StopSignals install() {
        return install(() -> {}, false);
    }

    /**
     * The first signal runs {@code onFirst} (on the JVM's signal thread, so it only sets flags);
     * a second one ends the process at once with 128 + its number, as the JVM's own handler
     * would: a user who presses Ctrl-C again does not want to wait for the clean stop.
     */
    public static StopSignals installStopThenExit(Runnable onFirst) {
        return install(onFirst, true);
    }

    private static StopSignals install(Runnable onFirst, boolean secondEndsProcess) {
        StopSignals s = new StopSignals(onFirst, secondEndsProcess);
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                SignalHandler previous = Signal.handle(signal, s::handle);
                if (previous == SignalHandler.SIG_IGN && InheritedIgnore.resetToDefault(signal.getNumber())) {
                    // Inherited as ignored, which the JVM keeps: now that the disposition is the
                    // default again, register for real. close() puts SIG_IGN back.
                    Signal.handle(signal, s::handle);
                }
                s.previous.add(previous);
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // The JVM keeps the signal for itself (java -Xrs): its default applies, and the
                // captures' shutdown hooks still detach.
            }
        }
        return s;
    }

    private void handle(Signal signal) {
        if (received.compareAndSet(null, "SIG" + signal.getName())) {
            onFirst.run();
        } else if (secondEndsProcess) {
            Runtime.getRuntime().exit(KILLED_BY_SIGNAL + signal.getNumber());
        }
    }

    public boolean requested() { return received.get() != null; }

    /** "SIGINT" or "SIGTERM", null when none came. */
    public String received() { return received.get(); }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
