package dev.flat.cli;

import dev.flat.core.input.EventSource;

/**
 * The first SIGINT or SIGTERM during {@code flat analyze}: the source being read stops at its
 * next refill ({@link EventSource#requestStop}, which warns where), the files after it are not
 * read, and the command completes its report of what was read and exits
 * {@link ExitCode#INTERRUPTED}.
 *
 * <p>The request comes on the JVM's signal thread while the command moves from file to file.
 * Each side writes its own volatile field before it reads the other's, so when the two race at
 * least one of them sees the other: the handler stops the new source, or the command does not
 * read it.
 */
final class Interruption {
    private volatile boolean requested;
    private volatile EventSource reading;

    /** The signal handler's action. */
    void request() {
        requested = true;
        EventSource source = reading;
        if (source != null) {
            source.requestStop();
        }
    }

    /** Makes {@code source} the one a request stops; false when a request came already, and then it is not to be read. */
    boolean startReading(EventSource source) {
        reading = source;
        return !requested;
    }

    void doneReading() {
        reading = null;
    }

    boolean requested() { return requested; }
}
