package dev.flat.replay.eventlog;

import java.io.IOException;

/** Writing an event log failed (full disk, I/O error); the message names the file and what was kept. */
public final class EventLogWriteException extends IOException {
    public EventLogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
