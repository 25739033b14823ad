package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flat analyze BIG | head -1} on a real JVM: once its reader has gone, flat stops reading
 * at its next write, prints nothing and exits 141, as a C tool killed by SIGPIPE would.
 */
class AnalyzeBrokenPipeTest {
    /** 27 MB given 60 times: 1.6 GB, far more than flat reads in the time allowed. */
    private static final int COPIES = 1500;
    private static final int TIMES = 60;
    private static final long ALLOWED_S = 10;

    @TempDir
    Path dir;

    @Test
    void aClosedStdoutStopsTheAnalysisSilentlyWith141() throws Exception {
        Path file = RepeatedLab.load().write(dir.resolve("big.pcap"), COPIES, false);
        List<String> args = new ArrayList<>(List.of("analyze"));
        args.addAll(Collections.nCopies(TIMES, file.toString()));
        Path stderr = dir.resolve("err");
        Process flat = FlatProcess.start(stderr, args.toArray(String[]::new));
        try {
            long started = System.nanoTime();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(flat.getInputStream(), StandardCharsets.UTF_8))) {
                assertTrue(out.readLine() != null, "no first line");
            } // closed, as head -1 closes it
            assertTrue(flat.waitFor(ALLOWED_S, TimeUnit.SECONDS), "flat went on reading after its stdout was closed");
            assertEquals(ExitCode.BROKEN_PIPE, flat.exitValue());
            assertEquals("", Files.readString(stderr));
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(ALLOWED_S));
        } finally {
            flat.destroyForcibly();
        }
    }
}
