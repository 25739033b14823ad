package dev.flat.bpf;

import java.io.IOException;

/**
 * A live capture could not be set up or run. The message is one line naming the operation, the
 * interface and the errno name, e.g. {@code attach tcx ingress eth0: EPERM}, so that the command
 * line can print it as it is.
 */
public class LiveCaptureException extends IOException {
    private final int errno;

    public LiveCaptureException(String message) {
        this(message, 0, null);
    }

    public LiveCaptureException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    protected LiveCaptureException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The positive errno behind the failure, 0 when there was none. */
    public int errno() {
        return errno;
    }

    /**
     * "operation: ENAME" for a failed native call, or the privileges message when the kernel
     * refused for lack of them: EPERM from bpf() and rtnetlink. Not EACCES, which is what the
     * verifier answers for a program it rejects.
     */
    static LiveCaptureException of(Native n, String operation, int errno) {
        int e = Math.abs(errno);
        String name = n.errnoName(e);
        if (e == Native.EPERM) {
            return new MissingPrivilegesException(operation + ": " + name, e);
        }
        return new LiveCaptureException(operation + ": " + name, e, null);
    }
}
