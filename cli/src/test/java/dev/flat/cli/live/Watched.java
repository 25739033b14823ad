package dev.flat.cli.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A subprocess whose stderr is collected from the start, so that tests can wait for a line and read it all later. */
final class Watched {
    private static final Map<Process, Watched> ALL = new ConcurrentHashMap<>();

    private final Process process;
    private final StringBuilder stderr = new StringBuilder();
    private final Thread reader;

    private Watched(Process process) {
        this.process = process;
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        reader = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                        stderr.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            synchronized (stderr) {
                stderr.notifyAll();
            }
        }, "stderr of " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static Watched of(Process p) {
        return ALL.computeIfAbsent(p, Watched::new);
    }

    /** Waits until stderr holds {@code marker}; returns stderr so far. */
    String await(String marker, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (stderr) {
            while (stderr.indexOf(marker) < 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !reader.isAlive()) {
                    throw new AssertionError("no line with '" + marker + "' from "
                            + process.info().commandLine().orElse("pid " + process.pid()) + "; stderr:\n" + stderr);
                }
                stderr.wait(Math.min(left, 200));
            }
            return stderr.toString();
        }
    }

    /** All of stderr, once the process has ended. */
    String stderrAfterExit() throws InterruptedException {
        process.waitFor();
        reader.join(10_000);
        synchronized (stderr) {
            return stderr.toString();
        }
    }
}
