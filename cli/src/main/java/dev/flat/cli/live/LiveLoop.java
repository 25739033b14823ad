package dev.flat.cli.live;

import dev.flat.bpf.LiveCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** What the live commands share: the poll rhythm, clocks and the machine's identity. */
final class LiveLoop {
    /**
     * Longest a poll waits for events: the loop checks for signals, --duration, flushes and
     * expiry at least this often.
     */
    static final int POLL_TIMEOUT_MS = 100;
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LiveLoop() {}

    static long wallClockNowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The kernel's host name (uname -n), without a DNS lookup. */
    static String hostName() {
        try {
            return Files.readString(HOSTNAME).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** uname -r: the JDK reports the kernel release as os.version on Linux. */
    static String kernelRelease() {
        return System.getProperty("os.version", "");
    }

    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }

    static String describe(LiveCounters c) {
        return "packets " + c.packets() + ", events " + c.events() + ", lost " + c.lost()
                + ", parse errors " + c.parseErrors() + ", filtered " + c.filtered();
    }
}
