package dev.flat.replay.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.InputStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 64 KiB tmpfs mounted for the test (root only; FLAT_REQUIRE_PRIVILEGED=1
 * turns the skip into a failure). The writer must fail with the file's name, keep whole records
 * only, and the log must read back cleanly.
 */
class EventLogFullDiskTest {
    private static final int TMPFS_BYTES = 64 * 1024;

    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        mount = dir.resolve("full");
        Files.createDirectory(mount);
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_BYTES, "flat-test", mount.toString()) == 0;
        if (!mounted && "1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("cannot mount a tmpfs (needs root) but FLAT_REQUIRE_PRIVILEGED=1");
        }
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    @Test
    void fullDiskIsACleanErrorAndWhatWasWrittenReadsBack() throws IOException {
        Path log = mount.resolve("full.flatlog");
        EventLogHeader header = new EventLogHeader(1, 0, 3, "h", "eth0", "6.18");
        EventLogWriter writer = EventLogWriter.create(log, header);
        EventLogWriteException e = assertThrows(EventLogWriteException.class, () -> {
            for (int i = 0; i < 10 * TMPFS_BYTES / EventRecord.ENCODED_LENGTH; i++) {
                writer.write(EventLogTest.record(i));
            }
        });
        long kept = writer.recordsKept();
        assertTrue(kept > 0, "some records reached the disk");
        assertTrue(e.getMessage().startsWith(log + ": writing the event log failed"), e.getMessage());
        assertTrue(e.getMessage().endsWith(kept + " records kept"), e.getMessage());
        assertThrows(EventLogWriteException.class, () -> writer.write(EventLogTest.record(0)), "the log stays failed");
        writer.close();

        assertEquals(header.encode().length + kept * EventRecord.ENCODED_LENGTH, Files.size(log), "whole records only");
        try (EventLogReader reader = EventLogReader.open(log)) {
            InputStats stats = new InputStats();
            assertEquals(kept, EventLogTest.drain(reader, stats).size());
            assertEquals(List.of(), stats.warnings());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
