package dev.flat.bpf;

/**
 * The kernel refused a bpf() or netlink operation for lack of privileges. Loading the probe needs
 * CAP_BPF (CAP_SYS_ADMIN before 5.8) and attaching it needs CAP_NET_ADMIN; the message says so
 * in one line, with the operation that failed in parentheses.
 */
public final class MissingPrivilegesException extends LiveCaptureException {
    MissingPrivilegesException(String failedOperation, int errno) {
        super("flat needs root or CAP_BPF+CAP_NET_ADMIN to attach the probe (" + failedOperation + ")",
                errno, null);
    }
}
