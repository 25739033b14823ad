package dev.flat.cli.live;

import static dev.flat.cli.live.Lab.CLIENT_IF;
import static dev.flat.cli.live.Lab.CLIENT_NS;
import static dev.flat.cli.live.Lab.SERVER_V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flat record} into a 64 KiB tmpfs while a ping flood makes far more events than fit:
 * one clean line naming the file and the records kept, the probe detached, and a log that
 * {@code flat analyze} reads without complaint.
 */
class LiveRecordFullDiskTest {
    private static final Pattern KEPT = Pattern.compile("; (\\d+) records kept");

    @TempDir
    Path dir;

    @Test
    void fullDiskStopsTheRecordingCleanlyAndKeepsWhatWasWritten() throws Exception {
        Path mount = dir.resolve("tiny");
        Files.createDirectory(mount);
        try (Lab lab = Lab.up()) {
            Lab.run(List.of("mount", "-t", "tmpfs", "-o", "size=64k", "flat-live-test", mount.toString()));
            try {
                Path log = mount.resolve("full.flatlog");
                Process flat = Lab.startFlat(CLIENT_NS, "record", "-i", CLIENT_IF, "-o", log.toString());
                Lab.awaitLine(flat, "Ctrl-C stops", 60_000);
                // 2 × 3000 events × 80 bytes: several times what the file system holds.
                Lab.exec(CLIENT_NS, "ping", "-f", "-c", "3000", "-q", SERVER_V4);
                if (!flat.waitFor(30, TimeUnit.SECONDS)) {
                    Lab.signal(flat, "INT");
                    flat.waitFor(30, TimeUnit.SECONDS);
                    throw new AssertionError("flat record went on after the disk was full");
                }
                String err = Watched.of(flat).stderrAfterExit();
                assertEquals(ExitCode.OUTPUT, flat.exitValue(), err);
                assertTrue(err.contains("flat: " + log + ": writing the event log failed (No space left on device)"), err);
                Matcher kept = KEPT.matcher(err);
                assertTrue(kept.find(), err);
                assertFalse(Lab.exec(CLIENT_NS, "tc", "qdisc", "show", "dev", CLIENT_IF).contains("clsact"));

                String[] r = Lab.flat("analyze", "--no-progress", "--format", "json", log.toString());
                assertEquals("0", r[0], r[2]);
                assertFalse(r[2].contains("warning"), r[2]);
                assertTrue(r[1].contains("\"events\":" + kept.group(1)), r[1]);
            } finally {
                Lab.run(List.of("umount", mount.toString()));
            }
        }
    }
}
