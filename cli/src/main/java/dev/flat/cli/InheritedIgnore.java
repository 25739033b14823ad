package dev.flat.cli;

import jnr.ffi.LibraryLoader;
import jnr.ffi.types.intptr_t;

/**
 * Undoes a SIGINT or SIGTERM disposition that flat inherited as "ignored".
 *
 * <p>A background job of a non-interactive shell ({@code flat record ... &} in a script) starts
 * with SIGINT ignored (POSIX, "Shell Command Language", 2.11), and so does anything that
 * {@code nohup} or some supervisors start. The JVM then never installs its handler for that
 * signal ({@code Signal.handle} leaves an ignored signal ignored and reports SIG_IGN), so
 * {@code kill -INT} would not stop flat; tcpdump, which sets its handlers with signal(2), stops.
 * Only libc can set the disposition back to SIG_DFL, after which the JVM registers normally.
 *
 * <p>libc is loaded only when a signal arrived ignored, so the usual start pays nothing.
 */
final class InheritedIgnore {
    private static final long SIG_DFL = 0;
    private static final long SIG_ERR = -1;

    /** Public only because jnr-ffi implements it in another class loader; not API. */
    public interface Libc {
        /** signal(2): the previous handler, or SIG_ERR. */
        @intptr_t long signal(int signum, @intptr_t long handler);
    }

    private InheritedIgnore() {}

    /** Sets the signal's disposition to the default; false when libc cannot be reached. */
    static boolean resetToDefault(int signalNumber) {
        try {
            Libc libc = LibraryLoader.create(Libc.class).failImmediately().load("c");
            return libc.signal(signalNumber, SIG_DFL) != SIG_ERR;
        } catch (LinkageError | RuntimeException e) {
            return false; // no native access: the signal stays ignored, as the JVM alone would leave it
        }
    }
}
