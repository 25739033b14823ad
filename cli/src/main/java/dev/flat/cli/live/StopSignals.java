package dev.flat.cli.live;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM as a stop request for a live command, instead of the JVM's default (run the
 * shutdown hooks and exit 130/143): the capture loop sees {@link #requested()} within one poll
 * timeout, detaches, flushes, prints its summary and exits 0. Closing restores the handlers that
 * were there before (tests run commands in-process).
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a signal
 * without starting the shutdown sequence, from which a command could no longer exit 0.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile String received;

    private StopSignals() {}

    static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                s.previous.add(Signal.handle(signal, sig -> s.received = "SIG" + sig.getName()));
                s.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // The JVM keeps the signal for itself (java -Xrs): its default applies, and the
                // captures' shutdown hooks still detach.
            }
        }
        return s;
    }

    boolean requested() { return received != null; }

    /** "SIGINT" or "SIGTERM", null when none came. */
    String received() { return received; }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
