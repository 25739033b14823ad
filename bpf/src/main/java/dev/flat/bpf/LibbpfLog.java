package dev.flat.bpf;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * Routes libbpf's messages (verifier log on a failed load, attach diagnostics) into
 * java.util.logging under "dev.flat.bpf.libbpf" instead of libbpf's default of writing to stderr.
 * Warnings stay WARNING, info becomes FINE and debug FINEST.
 */
final class LibbpfLog {
    static final Logger LOG = Logger.getLogger("dev.flat.bpf.libbpf");

    /** Longest message kept; libbpf's own lines are shorter, verifier dumps come line by line. */
    private static final int MAX_MESSAGE = 4096;

    /**
     * Strongly referenced for the life of the process: libbpf keeps the bare function pointer, and
     * a collected jnr closure would leave it pointing at freed code.
     */
    private static LibBpf.PrintFn callback;

    /** Set while a call whose failure flat expects and handles runs (see {@link #expectingFailure}). */
    private static final ThreadLocal<Boolean> EXPECTED_FAILURE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private LibbpfLog() {
    }

    /** A libbpf call whose failure is a normal outcome: its warnings are logged at FINE only. */
    interface Call {
        int run();
    }

    /**
     * Runs a libbpf call whose failure is expected and handled (bpf_tc_hook_create on an existing
     * clsact: libbpf relays the kernel's "Exclusivity flag on, cannot modify" as a warning), so
     * that users see warnings only for real problems. libbpf logs synchronously on the calling
     * thread, so a thread-local flag is enough.
     */
    static int expectingFailure(Call call) {
        EXPECTED_FAILURE.set(Boolean.TRUE);
        try {
            return call.run();
        } finally {
            EXPECTED_FAILURE.set(Boolean.FALSE);
        }
    }

    static synchronized void install(Native n) {
        if (callback != null) {
            return;
        }
        callback = (level, format, args) -> {
            Level julLevel = switch (level) {
                case LibBpf.LOG_WARN -> EXPECTED_FAILURE.get() ? Level.FINE : Level.WARNING;
                case LibBpf.LOG_INFO -> Level.FINE;
                default -> Level.FINEST;
            };
            if (!LOG.isLoggable(julLevel)) {
                return 0;
            }
            // The va_list can be consumed once: format into a bounded buffer with libc.
            Pointer buf = n.allocate(MAX_MESSAGE);
            int written = n.libc.vsnprintf(buf, MAX_MESSAGE, format, args);
            if (written > 0) {
                int len = Math.min(written, MAX_MESSAGE - 1);
                byte[] bytes = new byte[len];
                buf.get(0, bytes, 0, len);
                LOG.log(julLevel, new String(bytes, StandardCharsets.UTF_8).stripTrailing());
            }
            return 0;
        };
        n.bpf.libbpf_set_print(callback);
    }
}
